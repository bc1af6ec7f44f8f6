package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The standalone jar, headless: started as a user would ({@code java -jar switchboard-gateway.jar}) on the
 * embedded default, asked a question over plain HTTP, then stopped with SIGTERM while a slow call is in
 * flight: the call must complete and the process exit 0. Run by maven-failsafe-plugin after {@code package}.
 */
class GatewayJarIT {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void answersOnTheEmbeddedDefaultAndDrainsOnSigterm() throws Exception {
        Path jar = Path.of(System.getProperty("sb.gateway.jar", "target/switchboard-gateway.jar"));
        assumeTrue(Files.isRegularFile(jar), "no standalone jar at " + jar + " (run mvn package)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Every mock answer takes 1.5 s, so a call is surely in flight when SIGTERM comes.
        // Output goes to a file: Process.destroy() closes the pipes, and the drain is logged after it.
        Path log = Files.createTempFile("switchboard-gateway", ".log");
        Process p = new ProcessBuilder(java, "-Dswitchboard.providers.mock.latency_ms=1500", "-jar", jar.toString(), "--port", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String base = awaitBaseUrl(p, log);
            assertThat(Files.readString(log)).contains("curl -s " + base + "/v1/chat/completions");

            HttpClient http = HttpClient.newHttpClient();
            HttpRequest ask = HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")).timeout(Duration.ofSeconds(30))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"hello\",\"inputs\":{\"name\":\"Ada\"}}")).build();
            HttpResponse<String> answer = http.send(ask, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(answer.body()).at("/choices/0/message/content").asText()).contains("Ada");

            CompletableFuture<HttpResponse<String>> slow = http.sendAsync(ask, HttpResponse.BodyHandlers.ofString());
            awaitInFlight(http, base);
            p.destroy(); // SIGTERM

            HttpResponse<String> drained = slow.get(20, TimeUnit.SECONDS);
            assertThat(drained.statusCode()).isEqualTo(200);
            assertThat(drained.body()).contains("Ada");
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the process exits").isTrue();
            String output = Files.readString(log);
            assertThat(p.exitValue()).as("exit status; output:%n%s", output).isZero();
            assertThat(output).contains("gateway closing: draining 1 request(s)").contains("gateway closed");
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    private static String awaitBaseUrl(Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()) {
            String out = Files.readString(log);
            Matcher m = LISTENING.matcher(out);
            if (m.find() && out.contains("Stop with Ctrl-C")) { // the banner is complete
                return m.group(1);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the gateway did not start; output:\n" + Files.readString(log));
    }

    /** Waits until /health counts the slow call (besides itself). */
    private static void awaitInFlight(HttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            if (JSON.readTree(h.body()).path("in_flight").asInt() >= 2) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the slow call never showed up in flight");
    }
}
