package dev.switchboard.spi.http;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link HttpTransport} over {@link HttpClient}: HTTP/2 for https, HTTP/1.1 for plain http, pooled
 * keep-alive connections, a line-by-line SSE reader with demand of one line at a time (so a slow
 * consumer slows the socket rather than filling memory) and an idle watchdog between lines.
 * Thread-safe.
 */
final class JdkHttpTransport implements HttpTransport {
    private static final JdkHttpTransport SHARED = create(Duration.ofSeconds(10));
    static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "switchboard-http-timer");
        t.setDaemon(true);
        return t;
    });

    private final HttpClient client;

    private JdkHttpTransport(HttpClient client) {
        this.client = client;
    }

    static JdkHttpTransport shared() {
        return SHARED;
    }

    static JdkHttpTransport create(Duration connectTimeout) {
        return new JdkHttpTransport(HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "switchboard-http");
                    t.setDaemon(true);
                    return t;
                }))
                .build());
    }

    @Override
    public CompletableFuture<HttpResult> send(HttpCall call) {
        CompletableFuture<HttpResponse<byte[]>> exchange;
        try {
            exchange = client.sendAsync(request(call), HttpResponse.BodyHandlers.ofByteArray());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<HttpResult> result = new CompletableFuture<>();
        exchange.whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(new HttpResult(r.statusCode(), headers(r.headers()), r.body()));
            }
        });
        // The request timeout covers headers only; bound the body as well.
        var watchdog = TIMER.schedule(() -> result.completeExceptionally(
                new HttpTimeoutException("no complete answer within " + call.timeout().toMillis() + " ms")),
                call.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        result.whenComplete((r, e) -> {
            watchdog.cancel(false);
            if (!exchange.isDone()) {
                exchange.cancel(true);
            }
        });
        return result;
    }

    @Override
    public CompletableFuture<HttpResult> stream(HttpCall call, SseListener listener) {
        CompletableFuture<HttpResult> result = new CompletableFuture<>();
        SseLineSubscriber lines = new SseLineSubscriber(listener, result, call.timeout());
        HttpResponse.BodyHandler<byte[]> handler = info -> {
            if (info.statusCode() >= 200 && info.statusCode() < 300) {
                lines.opened(new HttpResult(info.statusCode(), headers(info.headers()), new byte[0]));
                return HttpResponse.BodySubscribers.fromLineSubscriber(lines, s -> new byte[0], java.nio.charset.StandardCharsets.UTF_8, null);
            }
            return HttpResponse.BodySubscribers.ofByteArray();
        };
        CompletableFuture<HttpResponse<byte[]>> exchange;
        try {
            exchange = client.sendAsync(request(call), handler);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        exchange.whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else if (r.statusCode() < 200 || r.statusCode() >= 300) {
                result.complete(new HttpResult(r.statusCode(), headers(r.headers()), r.body()));
            }
            // 2xx: the line subscriber completes the result at the end of the body.
        });
        result.whenComplete((r, e) -> {
            // After a normal end the connection is back in the pool: cancelling then would break the next request on it.
            lines.stop(e != null);
            if (e != null && !exchange.isDone()) {
                exchange.cancel(true);
            }
        });
        return result;
    }

    private static HttpRequest request(HttpCall call) {
        HttpRequest.Builder b = HttpRequest.newBuilder(call.uri())
                .timeout(call.timeout())
                .version("https".equals(call.uri().getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
        call.headers().forEach(b::header);
        if ("GET".equals(call.method())) {
            b.GET();
        } else {
            b.method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()));
        }
        return b.build();
    }

    private static Map<String, List<String>> headers(HttpHeaders headers) {
        Map<String, List<String>> out = new TreeMap<>();
        headers.map().forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }
}
