package dev.switchboard.bench;

import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open-streams harness: opens many concurrent streamed chat completions through the gateway (the
 * standalone jar as its own process with a 512 MB heap) in front of a fake provider that streams
 * slowly, and reports how many completed and the gateway's resident memory and threads while they
 * were open. Latency under load is measured by {@code bench/gateway-load.sh} (wrk + nginx).
 *
 * <pre>
 * mvn -B -ntp -q -DskipTests package
 * java -cp bench/target/benchmarks.jar dev.switchboard.bench.GatewayLoad 2000
 * </pre>
 */
public final class GatewayLoad {
    private static final String BODY = "{\"model\":\"fake/m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

    private GatewayLoad() {
    }

    /** Runs the harness: argument 0 is the number of streams (default 2,000). */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            try (GatewayProcess gw = GatewayProcess.start(fake.baseUrl(), "512m")) {
                openStreams(fake, gw, n);
            }
        }
    }
    private static void openStreams(FakeLlmServer fake, GatewayProcess gw, int n) throws Exception {
        fake.setDefault(Reply.chunks("a", "b", "c", "d", "e", "f", "g", "h", "i", "j").chunkDelay(Duration.ofSeconds(2)));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gw.url())).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).timeout(Duration.ofMinutes(2)).build();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                if (e == null && r.statusCode() == 200 && r.body().contains("[DONE]")) {
                    ok.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
            }));
        }
        Thread.sleep(8_000);
        System.out.printf(Locale.ROOT, "%d streams open; gateway process: %s%n", n, gw.memory());
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).handle((r, e) -> null).get(2, TimeUnit.MINUTES);
        System.out.printf(Locale.ROOT, "streams completed: %d ok, %d failed; gateway heap limit 512 MB; after: %s%n", ok.get(), failed.get(), gw.memory());
    }

    /** The standalone gateway jar as a child process. */
    static final class GatewayProcess implements AutoCloseable {
        private final Process process;
        private final int port;

        private GatewayProcess(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static GatewayProcess start(String fakeBaseUrl, String heap) throws IOException, InterruptedException {
            Path config = Files.createTempFile("switchboard-load", ".yaml");
            Files.writeString(config, """
                    providers:
                      fake: { type: openai, base_url: "%s", api_key: load-test, circuit_breaker: { enabled: false } }
                    """.formatted(fakeBaseUrl));
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path jar = Path.of(System.getProperty("gateway.jar", "gateway-starter/target/switchboard-gateway.jar"));
            Process p = new ProcessBuilder("java", "-Xmx" + heap, "-jar", jar.toString(), "--config", config.toString(),
                    "--port", String.valueOf(port)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            HttpClient c = HttpClient.newHttpClient();
            for (int i = 0; i < 100; i++) {
                try {
                    if (c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                        return new GatewayProcess(p, port);
                    }
                } catch (IOException notYet) {
                    Thread.sleep(200);
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("gateway did not start on port " + port);
        }

        String url() {
            return "http://127.0.0.1:" + port + "/v1/chat/completions";
        }

        String memory() {
            try {
                List<String> status = Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"));
                return status.stream().filter(l -> l.startsWith("VmRSS") || l.startsWith("Threads")).map(String::strip)
                        .reduce((a, b) -> a + ", " + b).orElse("?");
            } catch (IOException e) {
                return "?";
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
