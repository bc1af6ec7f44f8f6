package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.Reply;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Soak harness: a bounded run of mixed plain and streamed chat completions, with random faults at the
 * provider, through the standalone gateway jar (a child process) in front of two fake providers: a faulty
 * {@code primary} and a healthy {@code backup}; every call asks the gateway to retry once and then fall back.
 * Every {@code --sample} (a minute) it samples the gateway process (live heap after a full GC via {@code jcmd}, RSS, threads and open
 * file descriptors from {@code /proc}) and prints a table row; at the end it prints the totals: requests,
 * faults injected, answered, clean errors, lost (no answer, or a cut without an error event) and wrong (an
 * answer that is not the echo of its own prompt).
 *
 * <pre>
 * mvn -B -ntp -q -DskipTests package
 * java -cp bench/target/benchmarks.jar dev.switchboard.bench.Soak --duration 10m --concurrency 32 --fault-rate 0.3
 * </pre>
 *
 * Options: {@code --duration} (default 10m), {@code --sample} (60s), {@code --concurrency} (32 client threads),
 * {@code --fault-rate} (0.3 of the primary's answers), {@code --heap} (the gateway's -Xmx, 256m), {@code --jar}
 * (default {@code gateway-starter/target/switchboard-gateway.jar}). Exits 1 when a call was lost or wrong.
 * Loopback only; not part of CI.
 */
public final class Soak {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)");
    private static final String EXTENSIONS = "\"retry\":{\"count\":1,\"backoff\":\"5ms\"},\"fallbacks\":[\"backup/m\"],\"timeout\":\"15s\"";

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong streamed = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong cleanErrors = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();
    private final List<String> problems = new ArrayList<>();

    private Soak() {
    }

    /** Runs the soak; see the class comment for the options. */
    public static void main(String[] args) throws Exception {
        Duration duration = duration(option(args, "--duration", "10m"));
        Duration sample = duration(option(args, "--sample", "60s"));
        int concurrency = Integer.parseInt(option(args, "--concurrency", "32"));
        double faultRate = Double.parseDouble(option(args, "--fault-rate", "0.3"));
        String heap = option(args, "--heap", "256m");
        Path jar = Path.of(option(args, "--jar", "gateway-starter/target/switchboard-gateway.jar"));
        System.exit(new Soak().run(duration, sample, concurrency, faultRate, heap, jar) ? 0 : 1);
    }

    private boolean run(Duration duration, Duration sample, int concurrency, double faultRate, String heap, Path jar) throws Exception {
        try (FakeLlmServer primary = FakeLlmServer.start(); FakeLlmServer backup = FakeLlmServer.start()) {
            primary.setDefault(Reply.echo().chunkDelay(Duration.ofMillis(2)));
            backup.setDefault(Reply.echo().chunkDelay(Duration.ofMillis(2)));
            primary.randomFaults(faultRate, 20251129L, Reply.status(503), Reply.status(500).retryAfterSeconds(0), Reply.status(429),
                    Fault.connectionReset(), Fault.closeWithoutAnswer(), Fault.malformedJson(), Fault.bodyCutHalfway(),
                    Fault.streamCutAfter(2).source(Reply.echo()), Fault.stall());
            Path config = Files.createTempFile("switchboard-soak", ".yaml");
            Files.writeString(config, """
                    providers:
                      primary: { type: openai, base_url: "%s", api_key: soak-primary, request_timeout: 2s, circuit_breaker: { enabled: false } }
                      backup:  { type: openai, base_url: "%s", api_key: soak-backup, request_timeout: 5s, circuit_breaker: { enabled: false } }
                    gateway: { drain_timeout: 5s }
                    """.formatted(primary.baseUrl(), backup.baseUrl()));
            Path log = Files.createTempFile("switchboard-soak", ".log");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Process gateway = new ProcessBuilder("java", "-Xmx" + heap, "-jar", jar.toString(), "--config", config.toString(),
                    "--port", String.valueOf(port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                String base = "http://127.0.0.1:" + port;
                awaitHealthy(base, gateway, log);
                System.out.printf(Locale.ROOT, "soak: %s, %d client threads, %.0f%% faults at the primary, gateway -Xmx%s (pid %d)%n",
                        duration, concurrency, faultRate * 100, heap, gateway.pid());
                System.out.println("| elapsed | requests | faults | answered | clean errors | lost | wrong | live heap after full GC (MB) | RSS (MB) | threads | open fds |");
                System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
                System.out.println(row("start", primary, backup, gateway.pid()));
                long end = System.nanoTime() + duration.toNanos();
                List<Thread> workers = new ArrayList<>();
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
                for (int w = 0; w < concurrency; w++) {
                    int worker = w;
                    Thread t = new Thread(() -> work(http, base, worker, end), "soak-" + w);
                    t.start();
                    workers.add(t);
                }
                long started = System.nanoTime();
                long nextSample = System.nanoTime() + sample.toNanos();
                while (System.nanoTime() < end) {
                    Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(nextSample - System.nanoTime()),
                            TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
                    if (System.nanoTime() >= nextSample) {
                        nextSample += sample.toNanos();
                        long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                        System.out.println(row(String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60), primary, backup, gateway.pid()));
                    }
                }
                for (Thread t : workers) {
                    t.join(60_000);
                }
                Thread.sleep(2000); // let the gateway finish what it was doing before the last sample
                System.out.println(row("end", primary, backup, gateway.pid()));
                gateway.destroy();
                boolean exited = gateway.waitFor(30, TimeUnit.SECONDS);
                System.out.printf(Locale.ROOT, "%ntotals: %d requests (%d streamed), %d faults injected, %d answered, %d clean errors,"
                                + " %d lost, %d wrong; gateway exit status after SIGTERM: %s%n",
                        requests.get(), streamed.get(), faults(primary, backup), answered.get(), cleanErrors.get(), lost.get(), wrong.get(),
                        exited ? String.valueOf(gateway.exitValue()) : "still running");
                synchronized (problems) {
                    problems.stream().limit(20).forEach(p -> System.out.println("  problem: " + p));
                }
                return lost.get() == 0 && wrong.get() == 0 && exited && gateway.exitValue() == 0;
            } finally {
                gateway.destroyForcibly();
                Files.deleteIfExists(config);
                Files.deleteIfExists(log);
            }
        }
    }

    /**
     * Faults the primary injected: its requests minus those it answered. Every answered call was answered by the
     * primary or by the healthy backup, which answers every request it gets.
     */
    private long faults(FakeLlmServer primary, FakeLlmServer backup) {
        return primary.requestCount() - (answered.get() - backup.requestCount());
    }

    private void work(HttpClient http, String base, int worker, long end) {
        long seq = 0;
        while (System.nanoTime() < end) {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            String prompt = "soak w" + worker + " n" + (seq++) + " " + Long.toHexString(rnd.nextLong()) + " alpha beta gamma";
            boolean stream = rnd.nextBoolean();
            ObjectNode body = JSON.createObjectNode().put("model", "primary/m");
            body.putArray("messages").addObject().put("role", "user").put("content", prompt);
            if (stream) {
                body.put("stream", true);
            }
            String json = body.toString();
            json = json.substring(0, json.length() - 1) + "," + EXTENSIONS + "}";
            requests.incrementAndGet();
            if (stream) {
                streamed.incrementAndGet();
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
                classify(prompt, stream, r);
            } catch (IOException e) {
                problem(lost, prompt + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void classify(String prompt, boolean stream, HttpResponse<String> r) throws IOException {
        if (r.statusCode() != 200) {
            JsonNode error = JSON.readTree(r.body()).path("error");
            if (error.path("message").isTextual() && error.path("type").isTextual()) {
                cleanErrors.incrementAndGet();
            } else {
                problem(lost, prompt + ": " + r.statusCode() + " without an OpenAI error: " + r.body());
            }
            return;
        }
        if (!stream) {
            String text = JSON.readTree(r.body()).at("/choices/0/message/content").asText(null);
            if (prompt.equals(text)) {
                answered.incrementAndGet();
            } else {
                problem(wrong, prompt + ": answered '" + text + "'");
            }
            return;
        }
        StringBuilder text = new StringBuilder();
        String last = null;
        int done = 0;
        for (String block : r.body().split("\n\n")) {
            String b = block.strip();
            if (!b.startsWith("data: ")) {
                continue;
            }
            last = b.substring(6);
            if (last.equals("[DONE]")) {
                done++;
                continue;
            }
            JsonNode n = JSON.readTree(last);
            JsonNode c = n.path("choices").path(0).path("delta").path("content");
            if (c.isTextual()) {
                text.append(c.textValue());
            }
        }
        if ("[DONE]".equals(last) && done == 1) {
            if (prompt.contentEquals(text)) {
                answered.incrementAndGet();
            } else {
                problem(wrong, prompt + ": streamed '" + text + "'");
            }
        } else if (last != null && last.startsWith("{\"error\"") && done == 0) {
            if (prompt.startsWith(text.toString())) {
                cleanErrors.incrementAndGet();
            } else {
                problem(wrong, prompt + ": partial stream '" + text + "' before an error event");
            }
        } else {
            problem(lost, prompt + ": stream ended without [DONE] or an error event: " + r.body());
        }
    }

    private void problem(AtomicLong counter, String what) {
        counter.incrementAndGet();
        synchronized (problems) {
            if (problems.size() < 100) {
                problems.add(what);
            }
        }
    }

    private String row(String minute, FakeLlmServer primary, FakeLlmServer backup, long pid) {
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %s | %s | %s | %s |", minute, requests.get(),
                faults(primary, backup), answered.get(), cleanErrors.get(), lost.get(), wrong.get(), heapAfterGc(pid),
                status(pid, "VmRSS"), status(pid, "Threads"), openFds(pid));
    }

    /**
     * The live heap after a full GC, in MB: the total of {@code jcmd GC.class_histogram}, which collects first and
     * counts in the same pause (so traffic running meanwhile does not add to it); {@code GC.heap_info} when the
     * histogram gives no total.
     */
    private static String heapAfterGc(long pid) {
        try {
            Matcher total = HISTOGRAM_TOTAL.matcher(exec("jcmd", String.valueOf(pid), "GC.class_histogram"));
            if (total.find()) {
                return String.format(Locale.ROOT, "%.1f", Long.parseLong(total.group(1)) / (1024.0 * 1024));
            }
            exec("jcmd", String.valueOf(pid), "GC.run");
            Matcher m = HEAP_USED.matcher(exec("jcmd", String.valueOf(pid), "GC.heap_info"));
            return m.find() ? String.format(Locale.ROOT, "%.1f", Long.parseLong(m.group(1)) / 1024.0) : "?";
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static String exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    /** A field of /proc/PID/status: VmRSS in MB, Threads as is. */
    private static String status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    String v = line.substring(field.length() + 1).strip();
                    return v.endsWith(" kB") ? String.format(Locale.ROOT, "%.0f", Long.parseLong(v.substring(0, v.length() - 3)) / 1024.0) : v;
                }
            }
        } catch (IOException | RuntimeException e) {
            return "?";
        }
        return "?";
    }

    private static String openFds(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return String.valueOf(fds.count());
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static void awaitHealthy(String base, Process p, Path log) throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        for (int i = 0; i < 150 && p.isAlive(); i++) {
            try {
                if (c.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the gateway did not start:\n" + Files.readString(log));
    }

    private static String option(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }

    /** {@code 90s}, {@code 10m}, {@code 1h} or seconds. */
    private static Duration duration(String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        char unit = v.charAt(v.length() - 1);
        if (Character.isDigit(unit)) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (unit) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("not a duration: " + s);
        };
    }
}
