package dev.switchboard.testkit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * One accepted socket with its own read buffer. Besides plain reads and writes it can wait while watching
 * the peer ({@link #pause(Duration)}), so a client that goes away during a latency, chunk delay or stall is
 * noticed at once. Used by a single handler thread; {@link #close()} and {@link #isClosedByServer()} may be
 * called from any thread.
 */
final class Connection implements AutoCloseable {

    /** Bytes a client may send while a response is pending before the excess is discarded. */
    private static final int MAX_BUFFERED = 1 << 16;

    private final long id;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] buf = new byte[8192];
    private int pos;
    private int lim;
    private boolean lostInput;
    private volatile boolean closedByServer;
    private volatile boolean exchangeActive;
    private long written;

    Connection(long id, Socket socket) throws IOException {
        this.id = id;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    long id() { return id; }

    boolean isClosedByServer() { return closedByServer; }

    boolean exchangeActive() { return exchangeActive; }

    void exchangeActive(boolean active) { this.exchangeActive = active; }

    /** @return whether bytes sent by the client had to be discarded (the connection must not be reused) */
    boolean lostInput() { return lostInput; }

    /** @return the next byte, or -1 at end of stream */
    int read() throws IOException {
        if (pos == lim && fill() < 0) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    /**
     * @return one line without its CR LF (ISO-8859-1), or {@code null} at end of stream before any byte
     * @throws HttpProtocolException with status 431 if the line is longer than {@code max}
     */
    String readLine(int max) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = read()) >= 0) {
            if (b == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            if (sb.length() >= max) {
                throw new HttpProtocolException(431, "line longer than " + max + " bytes");
            }
            sb.append((char) b);
        }
        if (sb.length() == 0) {
            return null;
        }
        throw new PeerClosedException();
    }

    /** @return exactly n bytes; throws {@link PeerClosedException} on a premature end of stream */
    byte[] readExactly(int n) throws IOException {
        byte[] result = new byte[n];
        int done = 0;
        while (done < n) {
            if (pos == lim && fill() < 0) {
                throw new PeerClosedException();
            }
            int k = Math.min(n - done, lim - pos);
            System.arraycopy(buf, pos, result, done, k);
            pos += k;
            done += k;
        }
        return result;
    }

    /**
     * Waits for the duration while reading ahead, so that a client close is detected immediately.
     *
     * @param duration how long to wait; {@code null} waits until the client or the server closes
     * @throws PeerClosedException if the client closes meanwhile
     */
    void pause(Duration duration) throws IOException {
        if (duration != null && duration.isZero()) {
            return;
        }
        long deadline = duration == null ? 0 : System.nanoTime() + duration.toNanos();
        try {
            while (true) {
                int timeout = 0;
                if (duration != null) {
                    long remainingMs = (deadline - System.nanoTime() + 999_999) / 1_000_000;
                    if (remainingMs <= 0) {
                        return;
                    }
                    timeout = (int) Math.min(remainingMs, Integer.MAX_VALUE);
                }
                socket.setSoTimeout(timeout);
                try {
                    if (fill() < 0) {
                        throw new PeerClosedException();
                    }
                } catch (SocketTimeoutException e) {
                    // waited long enough; the loop re-checks the deadline
                }
            }
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(0);
            }
        }
    }

    void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    void write(byte[] bytes, int off, int len) throws IOException {
        written += len;
        out.write(bytes, off, len);
    }

    void writeAscii(String s) throws IOException {
        write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** @return how many bytes were handed to the socket so far */
    long written() { return written; }

    void flush() throws IOException {
        out.flush();
    }

    /** Aborts with a TCP reset: SO_LINGER 0, then close, discarding unsent data. */
    void reset() {
        closedByServer = true;
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        closeSocket();
    }

    /** Flushes, sends FIN and closes. */
    void closeGracefully() {
        closedByServer = true;
        try {
            out.flush();
            socket.shutdownOutput();
        } catch (IOException ignored) {
            // the peer is gone already
        }
        closeSocket();
    }

    /**
     * Flushes, sends FIN, then discards what the client still sends (up to {@code max}) before closing, so
     * an unread request body does not turn the close into a reset that would hide the error response.
     */
    void lingerClose(Duration max) {
        closedByServer = true;
        try {
            out.flush();
            socket.shutdownOutput();
            long deadline = System.nanoTime() + max.toNanos();
            byte[] sink = new byte[16 * 1024];
            while (true) {
                long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMs <= 0) {
                    break;
                }
                socket.setSoTimeout((int) leftMs);
                if (in.read(sink) < 0) {
                    break;
                }
            }
        } catch (IOException ignored) {
            // timed out or the peer is gone: close anyway
        }
        closeSocket();
    }

    @Override
    public void close() {
        closedByServer = true;
        closeSocket();
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    /** Reads more bytes into the buffer; @return the count read, or -1 at end of stream. */
    private int fill() throws IOException {
        if (pos == lim) {
            pos = 0;
            lim = 0;
        } else if (lim == buf.length) {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            } else if (buf.length < MAX_BUFFERED) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            } else {
                lostInput = true;
                pos = 0;
                lim = 0;
            }
        }
        return readInto();
    }

    private int readInto() throws IOException {
        int n = in.read(buf, lim, buf.length - lim);
        if (n > 0) {
            lim += n;
        }
        return n;
    }
}
