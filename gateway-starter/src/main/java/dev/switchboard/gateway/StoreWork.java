package dev.switchboard.gateway;

import dev.switchboard.api.ConfigException;
import dev.switchboard.runtime.deploy.DeploymentStoreException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs deployment-store work (file or database I/O) off the event loops, on at most four daemon threads with
 * a bounded queue, and answers the exchange with its JSON or its error: a definition that does not validate is
 * 400 naming {@code definition.<path>}, a missing deployment or version 404, an unusable store 503.
 * Thread-safe.
 */
final class StoreWork {
    private static final ExecutorService POOL = new ThreadPoolExecutor(0, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(256), r -> {
        Thread t = new Thread(r, "sb-gateway-store");
        t.setDaemon(true);
        return t;
    });

    private StoreWork() {
    }

    /** A response: status and JSON body. */
    record Answer(HttpResponseStatus status, byte[] json) {
    }

    /** Runs {@code work} on the store threads and answers {@code ex} with its result. */
    static void run(Exchange ex, Callable<Answer> work) {
        try {
            POOL.execute(() -> {
                try {
                    Answer a = work.call();
                    ex.sendJson(a.status(), a.json());
                } catch (Exception e) {
                    ex.fail(translate(e));
                }
            });
        } catch (RejectedExecutionException e) {
            throw new GatewayException(HttpResponseStatus.SERVICE_UNAVAILABLE, "server_error", null, "busy",
                    "too many deployment store requests at once; try again");
        }
    }

    static Throwable translate(Throwable e) {
        if (e instanceof ConfigException c) {
            return GatewayException.badRequest(c.path().isEmpty() ? "definition" : "definition." + c.path(), c.getMessage());
        }
        if (e instanceof DeploymentStoreException d) {
            return d.isNotFound() ? GatewayException.notFound(null, "not_found", d.getMessage())
                    : new GatewayException(HttpResponseStatus.SERVICE_UNAVAILABLE, "server_error", null, "store_unavailable", d.getMessage());
        }
        return e;
    }
}
