package dev.switchboard.spi.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends providers' HTTP requests. Implementations are thread-safe and non-blocking; the default is
 * {@link #jdk()}, over the JDK {@code HttpClient}. Tests and hosts may supply their own.
 *
 * <p>Both methods complete exceptionally with the transport's {@link java.io.IOException} (connection
 * refused or reset, TLS) or {@link java.net.http.HttpTimeoutException} when {@link HttpCall#timeout()}
 * passes; providers map these with {@code ProviderException.fromFailure}. Cancelling a returned future
 * aborts the request and closes its connection.
 */
public interface HttpTransport {

    /** Sends a request and reads the whole answer, whatever its status. */
    CompletableFuture<HttpResult> send(HttpCall call);

    /**
     * Sends a request whose 2xx answer is a server-sent-event stream: each event goes to
     * {@code listener} in order, then the future completes with the status and headers (empty body)
     * when the server ends the body. A non-2xx answer is read whole and returned without events.
     */
    CompletableFuture<HttpResult> stream(HttpCall call, SseListener listener);

    /** The shared JDK transport (10 s connect timeout). */
    static HttpTransport jdk() {
        return JdkHttpTransport.shared();
    }

    /** A JDK transport with its own client and connect timeout. */
    static HttpTransport jdk(Duration connectTimeout) {
        return JdkHttpTransport.create(connectTimeout);
    }
}
