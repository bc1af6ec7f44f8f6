package dev.switchboard.gateway.panel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.logs.CallLogDatabase;
import dev.switchboard.gateway.logs.CallLogSettings;
import dev.switchboard.gateway.logs.JdbcCallLogStore;
import dev.switchboard.runtime.calllog.AttemptRecord;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.MessageRecord;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;

/**
 * How fast the panel's pages load with 100,000 calls in the log store (a SQLite file, the gateway's default; {@code -Dpanel.benchmark.db=h2} for an H2 file):
 * each page is opened by a fresh navigation and timed with the Navigation Timing API from navigation start
 * until its data is on screen; the JSON API call behind it is timed on its own. The numbers go to
 * {@code <build>/panel/load-times.json} (with the seeding time when this run seeded) and docs/panel.md; the only assertion is a generous bound (30 s a page),
 * so a slow machine does not make the build flaky.
 *
 * <p>A benchmark, not part of the default run (seeding 100,000 calls takes minutes): run it with
 * {@code mvn -pl gateway-starter -am test -Dtest=PanelLoadBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false -Dpanel.benchmark=true}.
 * The seeded database is kept in {@code <build>/panel/benchmark-db} and reused by the next run.
 */
class PanelLoadBenchmarkTest {
    static final int CALLS = 100_000;
    static final ObjectMapper JSON = new ObjectMapper();
    /** How long seeding took in this run (ms), or -1 when the database of an earlier run was reused. */
    static long seedMs = -1;
    @TempDir
    Path dir;

    /**
     * The API's own time for {@code path}, best of three (ms). Each search asks with another far-future {@code to},
     * so that no try is answered from a result the database cached for the same statement and parameters.
     */
    static double api(PanelFixture fx, String path) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            String p = path.startsWith("/v1/logs?") ? path + "&to=2100-01-01T00:00:0" + i + "Z" : path;
            long t0 = System.nanoTime();
            var r = fx.getAsAdmin(p);
            assertThat(r.statusCode()).as(p + " " + r.body()).isEqualTo(200);
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }

    static String seed(String url) throws Exception {
        ObjectNode gw = JSON.createObjectNode();
        gw.putObject("call_log").put("url", url).put("retention", "off");
        String[] deployments = {"support", "greet", "summarize"};
        String[] models = {"gpt-4o-mini", "gpt-4o", "claude-3-5-haiku", "command-r"};
        Random rnd = new Random(42);
        Instant now = Instant.now();
        String needle = null;
        long t0 = System.nanoTime();
        try (JdbcCallLogStore store = CallLogDatabase.open(CallLogSettings.from(gw, "benchmark"), "benchmark")) {
            List<CallRecord> batch = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                boolean error = rnd.nextInt(20) == 0;
                String model = models[rnd.nextInt(models.length)];
                long latency = 200 + rnd.nextInt(2500);
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put("ticket", "T-" + i);
                meta.put("team", rnd.nextBoolean() ? "billing" : "shipping");
                String question = "Question " + i + " about order " + Long.toHexString(rnd.nextLong());
                if (i == CALLS / 2) {
                    needle = "order " + question.substring(question.lastIndexOf(' ') + 1);
                }
                List<AttemptRecord> attempts = error
                        ? List.of(new AttemptRecord("fake", model, "failure", 503, "fake answered HTTP 503", latency / 2),
                                new AttemptRecord("fake", model, "failure", 503, "fake answered HTTP 503", latency / 2))
                        : List.of(new AttemptRecord("fake", model, "success", 200, null, latency));
                Instant started = now.minusMillis((long) (rnd.nextDouble() * 7 * 86_400_000L));
                batch.add(CallRecord.builder("call_seed_" + i).startedAt(started).endedAt(started.plusMillis(latency)).origin("gateway")
                        .deployment(deployments[rnd.nextInt(deployments.length)]).variant("default").version("v1")
                        .provider("fake").model(model).attempts(attempts)
                        .status(error ? CallRecord.Status.ERROR : CallRecord.Status.SUCCESS)
                        .errorType(error ? "503" : null).errorMessage(error ? "fake answered HTTP 503" : null)
                        .finishReason(error ? null : "stop").latencyMs(latency).inputTokens(20 + rnd.nextInt(400)).outputTokens(5 + rnd.nextInt(300))
                        .costUsd(BigDecimal.valueOf(rnd.nextInt(900) + 1, 6)).context(Map.of()).metadata(meta)
                        .requestMessages(List.of(new MessageRecord("system", "You answer for ACME."), new MessageRecord("user", question)))
                        .reply(error ? null : "Here is what I know about " + question).build());
                if (batch.size() == 1000) {
                    store.write(batch);
                    batch.clear();
                }
            }
        }
        seedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("seeded %,d calls in %d ms%n", CALLS, seedMs);
        return needle;
    }

    /** Opens {@code hash} by a fresh navigation; ms from navigation start until {@code readyCss} is on screen. */
    static double load(Browser b, PanelFixture fx, String hash, String readyCss) {
        b.driver.get("about:blank");
        b.driver.get(fx.url("/ui/" + hash));
        Object ms = b.driver.executeAsyncScript("""
                const css = arguments[0], done = arguments[arguments.length - 1];
                (function poll() {
                  if (document.querySelector(css)) done(performance.now()); else setTimeout(poll, 5);
                })();""", readyCss);
        Object requests = b.js("""
                return performance.getEntriesByType('resource').filter(e => /\\/(v1|v2|ui\\/api|health)/.test(e.name))
                  .map(e => `${new URL(e.name).pathname} start ${Math.round(e.startTime)} took ${Math.round(e.duration)}`).join('; ')""");
        System.out.printf("%s: %.0f ms [%s]%n", hash, ((Number) ms).doubleValue(), requests);
        return ((Number) ms).doubleValue();
    }

    @Test
    void pagesLoadFastWithOneHundredThousandCalls() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("panel.benchmark"),
                "a benchmark: run with -Dpanel.benchmark=true (seeding 100,000 calls takes minutes)");
        try (Browser b = Browser.start(1280, 900)) {
            boolean onH2 = "h2".equals(System.getProperty("panel.benchmark.db", "sqlite"));
            Path db = Browser.buildDirectory().toAbsolutePath().resolve("panel").resolve(onH2 ? "benchmark-db" : "benchmark-sqlite");
            String file = db.resolve("calls").toString().replace("\\", "/");
            String url = onH2 ? "jdbc:h2:file:" + file + ";AUTO_SERVER=FALSE" : "jdbc:sqlite:" + file + ".db";
            Path marker = db.resolve("seeded.txt");
            String needle;
            if (Files.exists(marker)) {
                needle = Files.readString(marker);
            } else {
                Files.createDirectories(db);
                needle = seed(url);
                Files.writeString(marker, needle);
            }
            try (PanelFixture fx = new PanelFixture(dir.resolve("store"), url)) {
                b.driver.get(fx.url("/ui/"));
                b.visible("input[name=key]").sendKeys(PanelFixture.ADMIN_KEY, Keys.ENTER);
                b.visible("table.calls tbody tr");
                String q = java.net.URLEncoder.encode(needle, java.nio.charset.StandardCharsets.UTF_8);
                String week = java.net.URLEncoder.encode(Instant.now().minus(java.time.Duration.ofDays(7)).toString(), java.nio.charset.StandardCharsets.UTF_8);
                String day = java.net.URLEncoder.encode(Instant.now().minus(java.time.Duration.ofDays(1)).toString(), java.nio.charset.StandardCharsets.UTF_8);
                // page, its hash route, what shows its data, the API call behind it
                String[][] pages = {
                    {"logs (newest 50)", "#/logs", "table.calls tbody tr", "/v1/logs?limit=50"},
                    {"logs, full-text search", "#/logs?q=" + q, "table.calls tbody tr", "/v1/logs?limit=50&q=" + q},
                    {"logs, metadata filter", "#/logs?metadata.ticket=T-77777", "table.calls tbody tr", "/v1/logs?limit=50&metadata.ticket=T-77777"},
                    {"logs, deployment + status", "#/logs?deployment=greet&status=error", "table.calls tbody tr", "/v1/logs?limit=50&deployment=greet&status=error"},
                    {"call", "#/calls/call_seed_77777", "ol.timeline li", "/v1/logs/call_seed_77777"},
                    {"overview, 7 days per deployment", "#/overview?range=7d&group_by=deployment", "figure.chart canvas",
                        "/v1/stats?group_by=deployment&bucket=1h&from=" + week},
                    {"overview, 24 hours per model", "#/overview?range=24h&group_by=model", "figure.chart canvas",
                        "/v1/stats?group_by=model&bucket=1h&from=" + day},
                    {"deployments", "#/deployments", "table tbody tr", "/v2/admin/deployments"}};
                ObjectNode report = JSON.createObjectNode().put("calls", CALLS).put("seed_ms", seedMs);
                Map<String, Double> times = new LinkedHashMap<>();
                for (int round = 0; round < 2; round++) { // the first round warms the JVM and the database's caches
                    for (String[] p : pages) {
                        times.put(p[0], load(b, fx, p[1], p[2]));
                    }
                }
                load(b, fx, "#/overview?range=7d&group_by=model", "figure.chart canvas");
                b.fullScreenshot("overview-100k", 1280);
                load(b, fx, "#/logs?range=7d", "table.calls tbody tr");
                b.screenshot("logs-100k");
                for (String[] p : pages) {
                    report.putObject(p[0]).put("page_ms", Math.round(times.get(p[0]))).put("api_ms", Math.round(api(fx, p[3])));
                }
                Path out = Browser.buildDirectory().resolve("panel").resolve("load-times.json");
                Files.createDirectories(out.getParent());
                Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
                System.out.println("panel load times (ms from navigation start to data on screen; API alone): " + report);
                times.forEach((page, ms) -> assertThat(ms).as(page).isLessThan(30_000));
            }
        }
    }
}
