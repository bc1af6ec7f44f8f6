package dev.switchboard.gateway.reliability;

import static dev.switchboard.gateway.reliability.FaultyUpstreams.events;
import static dev.switchboard.gateway.reliability.FaultyUpstreams.json;
import static dev.switchboard.gateway.reliability.FaultyUpstreams.streamedText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The standalone jar stopped with SIGTERM while hundreds of streams are in flight: streams that fit in
 * {@code gateway.drain_timeout} complete with {@code [DONE]}, the longer ones end with an error event within
 * the drain bound (never a silently truncated body), and the process exits 0. Run by maven-failsafe-plugin
 * after {@code package}.
 */
class GracefulShutdownUnderLoadIT {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    private static final int SHORT_STREAMS = 200;
    private static final int LONG_STREAMS = 100;
    private static final Duration DRAIN = Duration.ofSeconds(10);

    @Test
    void everyStreamCompletesOrEndsWithAnErrorEventAndTheProcessExitsZero() throws Exception {
        Path jar = Path.of(System.getProperty("sb.gateway.jar", "target/switchboard-gateway.jar"));
        assumeTrue(Files.isRegularFile(jar), "no standalone jar at " + jar + " (run mvn package)");
        try (FakeLlmServer fast = FakeLlmServer.start(); FakeLlmServer slow = FakeLlmServer.start()) {
            // Every prompt has 8 words: 1 s apart at "fast" (8 s, within the drain), 4 s apart at "slow" (32 s, past it).
            fast.setDefault(Reply.echo().chunkDelay(Duration.ofSeconds(1)));
            slow.setDefault(Reply.echo().chunkDelay(Duration.ofSeconds(4)));
            Path config = Files.createTempFile("switchboard-shutdown", ".yaml");
            Files.writeString(config, """
                    providers:
                      fast: { type: openai, base_url: "%1$s", api_key: k, circuit_breaker: { enabled: false } }
                      slow: { type: openai, base_url: "%2$s", api_key: k, circuit_breaker: { enabled: false } }
                    gateway: { drain_timeout: %3$dms }
                    """.formatted(fast.baseUrl(), slow.baseUrl(), DRAIN.toMillis()));
            Path log = Files.createTempFile("switchboard-shutdown", ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "--config", config.toString(), "--port", "0")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                String base = awaitBaseUrl(p, log);
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
                List<String> prompts = new ArrayList<>();
                for (int i = 0; i < SHORT_STREAMS + LONG_STREAMS; i++) {
                    boolean longOne = i < LONG_STREAMS; // the long ones first: all are in flight before a short one ends
                    String prompt = (longOne ? "long" : "short") + " stream number " + i + " a b c d";
                    prompts.add(prompt);
                    String body = "{\"model\":\"" + (longOne ? "slow" : "fast") + "/m\",\"stream\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
                    streams.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                            .timeout(Duration.ofSeconds(60)).header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
                }
                awaitInFlight(http, base, SHORT_STREAMS + LONG_STREAMS);

                long t0 = System.nanoTime();
                p.destroy(); // SIGTERM
                int completed = 0;
                int endedWithError = 0;
                for (int i = 0; i < streams.size(); i++) {
                    HttpResponse<String> r = streams.get(i).get(DRAIN.toSeconds() + 10, TimeUnit.SECONDS);
                    assertThat(r.statusCode()).as("stream %d: %s", i, r.body()).isEqualTo(200);
                    List<String> events = events(r.body());
                    String last = events.get(events.size() - 1);
                    String text = streamedText(events);
                    if (last.equals("[DONE]")) {
                        assertThat(i).as("a %d-second stream cannot finish within the drain", 32).isGreaterThanOrEqualTo(LONG_STREAMS);
                        assertThat(text).as("stream %d", i).isEqualTo(prompts.get(i));
                        completed++;
                    } else {
                        assertThat(json(last).path("error").path("message").asText()).as("stream %d ends with an error event", i)
                                .isNotEmpty();
                        assertThat(prompts.get(i)).startsWith(text);
                        endedWithError++;
                    }
                }
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the process exits").isTrue();
                String output = Files.readString(log);
                assertThat(p.exitValue()).as("exit status; output:%n%s", output).isZero();
                // The drain bound plus a margin for a busy machine (a run on a loaded CI machine took 3.4 s past it).
                assertThat(took).as("all streams ended within the drain bound").isLessThan(DRAIN.plusSeconds(10));
                // The 8 s streams fit in the 10 s drain; on a loaded machine one may not, and then it ends with an error event too.
                assertThat(completed).as("the streams that fit in the drain completed").isGreaterThanOrEqualTo(SHORT_STREAMS * 9 / 10);
                assertThat(completed + endedWithError).isEqualTo(SHORT_STREAMS + LONG_STREAMS);
                System.out.printf("SIGTERM with %d streams in flight: %d completed, %d ended with an error event, all in %d ms%n",
                        streams.size(), completed, endedWithError, took.toMillis());
            } finally {
                p.destroyForcibly();
                Files.deleteIfExists(config);
                Files.deleteIfExists(log);
            }
        }
    }

    private static String awaitBaseUrl(Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()) {
            String out = Files.readString(log);
            Matcher m = LISTENING.matcher(out);
            if (m.find() && out.contains("Stop with Ctrl-C")) {
                return m.group(1);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the gateway did not start; output:\n" + Files.readString(log));
    }

    private static void awaitInFlight(HttpClient http, String base, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int seen = 0;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            seen = json(h.body()).path("in_flight").asInt();
            if (seen > n) { // the streams and this health check
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("only " + seen + " requests in flight, expected " + n);
    }
}
