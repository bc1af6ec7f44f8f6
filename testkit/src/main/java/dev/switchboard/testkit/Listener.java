package dev.switchboard.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The socket side of a server: binds 127.0.0.1, accepts on a daemon thread and hands each connection to a
 * daemon thread of a cached pool; {@link #close()} tears everything down. Thread-safe.
 */
final class Listener implements AutoCloseable {

    private final ServerSocket socket;
    private final ExecutorService threads;
    private final ServerContext ctx;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionIds = new AtomicLong();

    Listener(ServerContext ctx) throws IOException {
        this.ctx = ctx;
        this.socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}),
                    ctx.config().port()), 128);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        String prefix = "fake-llm-" + socket.getLocalPort() + "-";
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.threads = Executors.newCachedThreadPool(factory);
        threads.execute(this::acceptLoop);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Stops accepting, closes every connection and waits up to 2 s for the handler threads. Idempotent. */
    @Override
    public void close() {
        if (!ctx.closing().compareAndSet(false, true)) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        connections.forEach(Connection::close);
        threads.shutdownNow();
        try {
            threads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!ctx.isClosing()) {
            Socket accepted;
            try {
                accepted = socket.accept();
            } catch (IOException e) {
                if (!ctx.isClosing()) {
                    pause(); // e.g. out of file descriptors: do not spin
                }
                continue;
            }
            Connection conn = null;
            try {
                accepted.setTcpNoDelay(true);
                conn = new Connection(connectionIds.incrementAndGet(), accepted);
                ctx.stats().opened();
                connections.add(conn);
                if (ctx.isClosing()) {
                    throw new RejectedExecutionException("closing");
                }
                threads.execute(new ConnectionHandler(ctx, conn, connections));
            } catch (IOException | RejectedExecutionException e) {
                if (conn == null) {
                    closeQuietly(accepted);
                } else {
                    conn.close();
                    if (connections.remove(conn)) {
                        ctx.stats().closed();
                    }
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
