package dev.switchboard.gateway.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP/1.1 server for byte-exact answers: each request (on any connection, keep-alive honoured)
 * takes the next {@link Answer}, which writes its pieces one by one (flushing each, with a pause between), then
 * keeps the connection or closes it. Counts connections and the bytes written. Thread-safe; one thread per
 * connection.
 */
final class RawServer implements AutoCloseable {
    /** How one request is answered. */
    interface Answer {
        /**
         * Writes the answer.
         *
         * @return whether the connection may serve another request
         */
        boolean write(OutputStream out, AtomicLong written) throws IOException, InterruptedException;
    }

    private final ServerSocket socket;
    private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    private final AtomicInteger connections = new AtomicInteger();
    final AtomicLong written = new AtomicLong();
    /** The SNI host names TLS clients asked for. */
    final List<String> serverNames = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Socket> open = new ArrayList<>();
    private volatile boolean closed;

    RawServer() throws IOException {
        this(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    /** A server on {@code socket} (a TLS one, for instance), bound already. */
    RawServer(ServerSocket socket) {
        this.socket = socket;
        Thread t = new Thread(this::accept, "raw-server-accept");
        t.setDaemon(true);
        t.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
    }

    int port() {
        return socket.getLocalPort();
    }

    RawServer enqueue(Answer a) {
        answers.add(a);
        return this;
    }

    int connections() {
        return connections.get();
    }

    /** Writes {@code pieces} (ISO-8859-1 strings standing for bytes) with {@code pauseMillis} between them. */
    static Answer pieces(long pauseMillis, boolean keepOpen, byte[]... pieces) {
        return (out, written) -> {
            for (int i = 0; i < pieces.length; i++) {
                if (i > 0 && pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
                out.write(pieces[i]);
                out.flush();
                written.addAndGet(pieces[i].length);
            }
            return keepOpen;
        };
    }

    /** UTF-8 bytes of {@code s}. */
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A chunked transfer-encoding chunk holding {@code data}. */
    static byte[] chunk(byte[] data) {
        byte[] head = utf8(Integer.toHexString(data.length) + "\r\n");
        byte[] out = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(data, 0, out, head.length, data.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    static final byte[] LAST_CHUNK = utf8("0\r\n\r\n");
    static final byte[] SSE_HEAD = utf8("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");

    private void accept() {
        while (!closed) {
            try {
                Socket s = socket.accept();
                connections.incrementAndGet();
                synchronized (open) {
                    open.add(s);
                }
                Thread t = new Thread(() -> serve(s), "raw-server-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            if (s instanceof javax.net.ssl.SSLSocket tls && tls.getSession() instanceof javax.net.ssl.ExtendedSSLSession session) {
                session.getRequestedServerNames().forEach(n -> serverNames.add(((javax.net.ssl.SNIHostName) n).getAsciiName()));
            }
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (readRequest(in)) {
                Answer a = answers.take();
                if (!a.write(out, written)) {
                    return;
                }
            }
        } catch (IOException | InterruptedException ignored) {
            // the client went away, or the server closed
        }
    }

    /** Reads one request's head and Content-Length body; false at end of stream. */
    private static boolean readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        if (b < 0) {
            return false;
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return in.readNBytes(length).length == length;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
