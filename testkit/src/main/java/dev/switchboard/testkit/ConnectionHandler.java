package dev.switchboard.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Serves the requests of one connection in a loop (keep-alive) on its own thread: parse, record, pick the
 * scripted behaviour, answer. Never lets an exception escape; always closes the socket and updates the
 * connection counters at the end.
 */
final class ConnectionHandler implements Runnable {

    private final ServerContext ctx;
    private final Connection conn;
    private final Set<Connection> registry;

    ConnectionHandler(ServerContext ctx, Connection conn, Set<Connection> registry) {
        this.ctx = ctx;
        this.conn = conn;
        this.registry = registry;
    }

    @Override
    public void run() {
        long writtenBefore = 0;
        try {
            boolean again = true;
            while (again && !ctx.isClosing()) {
                RequestParser.Incoming in;
                try {
                    in = ctx.parser().read(conn);
                } catch (HttpProtocolException e) {
                    protocolError(e);
                    return;
                }
                RecordedRequest request = ctx.log().record(conn.id(), in);
                writtenBefore = conn.written();
                conn.exchangeActive(true);
                Behavior behavior = ctx.book().next(request.method(), request.path());
                again = new Exchange(ctx, conn, request, in.keepAlive()).run(behavior);
                conn.exchangeActive(false);
            }
            conn.closeGracefully();
        } catch (IOException e) {
            if (!conn.isClosedByServer() && !ctx.isClosing()) {
                ctx.stats().clientDisconnected(conn.exchangeActive());
            }
        } catch (RuntimeException e) {
            internalError(e, conn.exchangeActive() && conn.written() == writtenBefore);
        } finally {
            conn.close();
            registry.remove(conn);
            ctx.stats().closed();
        }
    }

    private void protocolError(HttpProtocolException e) {
        try {
            byte[] body = WireFormat.NONE.errorBody(e.status(), null, null, e.getMessage());
            BodyWriter.open(conn, e.status(), "application/json", Transfer.CONTENT_LENGTH, body.length, false,
                    List.of()).part(body);
        } catch (IOException ignored) {
            // the client is gone; nothing to tell it
        }
        conn.lingerClose(Duration.ofSeconds(1));
    }

    /** A bug in the testkit itself: answer 500 when nothing was sent yet, then close. */
    private void internalError(RuntimeException e, boolean canAnswer) {
        if (canAnswer && !conn.isClosedByServer()) {
            try {
                byte[] body = WireFormat.NONE.errorBody(500, "testkit_error", null,
                        "switchboard testkit failed: " + e);
                BodyWriter.open(conn, 500, "application/json", Transfer.CONTENT_LENGTH, body.length, false,
                        List.of()).part(body);
            } catch (IOException | RuntimeException ignored) {
                // best effort
            }
        }
        conn.closeGracefully();
    }
}
