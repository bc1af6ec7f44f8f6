package dev.switchboard.gateway;

import dev.switchboard.gateway.logs.JdbcCallLogStore;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs call-log queries off the event loops, on at most four daemon threads with a bounded queue, and answers
 * with their JSON: a database that cannot be reached is 503
 * {@code call_log_unavailable}, a full queue 503 {@code busy}. Thread-safe.
 */
final class LogWork {
    private static final ExecutorService POOL = new ThreadPoolExecutor(0, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64), r -> {
        Thread t = new Thread(r, "sb-gateway-logs");
        t.setDaemon(true);
        return t;
    });

    private LogWork() {
    }

    /** Runs {@code work} and answers {@code ex} with 200 and its JSON. */
    static void run(Exchange ex, Callable<byte[]> work) {
        try {
            POOL.execute(() -> {
                try {
                    ex.sendJson(HttpResponseStatus.OK, work.call());
                } catch (Exception e) {
                    ex.fail(translate(e));
                }
            });
        } catch (RejectedExecutionException e) {
            throw new GatewayException(HttpResponseStatus.SERVICE_UNAVAILABLE, "server_error", null, "busy",
                    "too many call log queries at once; try again");
        }
    }

    private static Throwable translate(Exception e) {
        if (e instanceof JdbcCallLogStore.CallLogUnavailableException || e instanceof UncheckedIOException || e instanceof java.sql.SQLException) {
            return new GatewayException(HttpResponseStatus.SERVICE_UNAVAILABLE, "server_error", null, "call_log_unavailable", e.getMessage());
        }
        return e;
    }
}
