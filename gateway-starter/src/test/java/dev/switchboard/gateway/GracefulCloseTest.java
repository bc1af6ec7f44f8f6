package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.Reply;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link SwitchboardGateway#close()} stops accepting and lets calls in flight finish. */
class GracefulCloseTest {

    @Test
    void closeDrainsACallInFlightThenStopsAccepting() throws Exception {
        GatewayFixture fx = GatewayFixture.start();
        try {
            fx.fake.enqueue(Reply.text("slow but complete").latency(Duration.ofMillis(800)));
            HttpClient http = HttpClient.newHttpClient();
            String url = fx.gateway.baseUrl();
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"fake/m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(fx.fake.takeRequest(Duration.ofSeconds(2))).isNotNull();

            long t0 = System.nanoTime();
            fx.gateway.close();

            HttpResponse<String> r = inFlight.get(1, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("slow but complete");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            CompletableFuture<HttpResponse<String>> after = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create(url + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(after).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(ConnectException.class);
        } finally {
            fx.close();
        }
    }
}
