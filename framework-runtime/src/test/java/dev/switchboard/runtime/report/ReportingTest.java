package dev.switchboard.runtime.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.Feedback;
import dev.switchboard.runtime.telemetry.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Reporter} against a stub gateway: batches, gzip, spill to disk and resend in order, bounds, refusals. */
class ReportingTest {
    static final String KEY = "ingest-key-123456";
    @TempDir
    Path dir;
    StubGateway gw;
    final List<Reporter> reporters = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        gw = new StubGateway(KEY);
    }

    @AfterEach
    void stop() {
        reporters.forEach(Reporter::close);
        gw.close();
    }

    ReportSettings.Builder settings() {
        return ReportSettings.builder(gw.uri(), KEY, "billing").instance("inst-1").spillDir(dir.resolve("spill"))
                .batchSize(10).flushInterval(Duration.ofMillis(50)).backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .timeout(Duration.ofSeconds(2));
    }

    Reporter reporter(ReportSettings s) {
        Reporter r = Reporter.start(s);
        reporters.add(r);
        return r;
    }

    static CallRecord rec(int i) {
        return CallRecord.builder("c-" + i).startedAt(Instant.now()).status(CallRecord.Status.SUCCESS).deployment("support")
                .metadata(Map.of("pad", "x".repeat(150))).build();
    }

    static List<String> ids(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "c-" + i).toList();
    }

    static long segments(Path d) throws IOException {
        if (!Files.exists(d)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.getFileName().toString().startsWith("seg-")).count();
        }
    }

    @Test
    void batchesArriveGzippedWithTheKeyAndOriginInOrder() {
        Reporter r = reporter(settings().build());
        for (int i = 0; i < 25; i++) {
            assertThat(r.callLog().record(rec(i))).isTrue();
        }
        assertThat(r.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(gw.ids()).isEqualTo(ids(0, 25));
        assertThat(gw.headers).allSatisfy(h -> assertThat(h).containsEntry("content-encoding", "gzip")
                .containsEntry("x-switchboard-app", "billing").containsEntry("x-switchboard-instance", "inst-1"));
        assertThat(gw.stored.get("c-0").get("origin").asText()).isEqualTo("billing/inst-1");
        assertThat(r.sentCount()).isEqualTo(25);
        assertThat(r.droppedCount()).isZero();
    }

    @Test
    void uncompressedWhenAsked() {
        Reporter r = reporter(settings().compression(false).build());
        r.callLog().record(rec(1));
        assertThat(r.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(gw.headers.get(0)).containsEntry("content-encoding", "null");
        assertThat(gw.ids()).containsExactly("c-1");
    }

    @Test
    void whileTheGatewayIsDownRecordsSpillToDiskAndArriveInOrderWhenItReturns() throws IOException {
        Reporter r = reporter(settings().build());
        r.callLog().record(rec(0));
        assertThat(r.flush(Duration.ofSeconds(10))).isTrue();
        gw.stop();
        for (int i = 1; i < 50; i++) {
            r.callLog().record(rec(i));
        }
        Await.until(() -> r.spilledCount() == 49);
        assertThat(segments(r.spillDirectory())).isPositive();
        gw.restart();
        Await.until(() -> gw.size() == 50); // the backoff brings it back without a flush
        for (int i = 50; i < 60; i++) {
            r.callLog().record(rec(i));
        }
        assertThat(r.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(gw.ids()).isEqualTo(ids(0, 60));
        assertThat(r.spilledCount()).isZero();
        assertThat(segments(r.spillDirectory())).isZero();
        assertThat(r.droppedCount()).isZero();
    }

    @Test
    void serverErrorsAreRetriedAndEachRecordIsStoredOnce() {
        int[] failures = {3};
        gw.answer = batch -> failures[0]-- > 0 ? 503 : 200;
        Reporter r = reporter(settings().build());
        for (int i = 0; i < 30; i++) {
            r.callLog().record(rec(i));
        }
        assertThat(r.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(gw.ids()).isEqualTo(ids(0, 30));
        assertThat(r.droppedCount()).isZero();
    }

    @Test
    void theSpillIsBoundedTheOldestRecordsAreDroppedAndCounted() throws IOException {
        Reporter r = reporter(settings().maxSpillBytes(8192).build());
        gw.stop();
        for (int i = 0; i < 100; i += 5) {
            for (int k = i; k < i + 5; k++) {
                r.callLog().record(rec(k));
            }
            int seen = i + 5;
            Await.until(() -> r.spilledCount() + r.droppedCount() >= seen);
        }
        assertThat(r.droppedCount()).isPositive();
        gw.restart();
        assertThat(r.flush(Duration.ofSeconds(10))).isTrue();
        List<String> got = gw.ids();
        assertThat(got.size() + r.droppedCount()).isEqualTo(100);
        assertThat(got).last().isEqualTo("c-99");
        int first = Integer.parseInt(got.get(0).substring(2));
        assertThat(got).isEqualTo(ids(first, 100)); // the newest kept, in order
    }

    @Test
    void aRecordTheGatewayRefusesIsDroppedAndTheRestDelivered() {
        gw.answer = batch -> {
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).get("id").asText().equals("c-3")) {
                    gw.badParam = "records[" + i + "].started_at";
                    return 400;
                }
            }
            return 200;
        };
        Reporter r = reporter(settings().build());
        for (int i = 0; i < 8; i++) {
            r.callLog().record(rec(i));
        }
        assertThat(r.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(gw.ids()).isEqualTo(List.of("c-0", "c-1", "c-2", "c-4", "c-5", "c-6", "c-7"));
        assertThat(r.droppedCount()).isEqualTo(1);
    }

    @Test
    void tooLargeBatchesAreSplit() {
        gw.answer = batch -> batch.size() > 3 ? 413 : 200;
        Reporter r = reporter(settings().flushInterval(Duration.ofSeconds(30)).build());
        for (int i = 0; i < 10; i++) {
            r.callLog().record(rec(i));
        }
        assertThat(r.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(gw.ids()).isEqualTo(ids(0, 10));
        assertThat(r.droppedCount()).isZero();
    }

    @Test
    void recordsLeftOnDiskAtCloseAreSentByTheNextRun() throws IOException {
        gw.stop();
        Reporter first = Reporter.start(settings().build());
        for (int i = 0; i < 20; i++) {
            first.callLog().record(rec(i));
        }
        first.close();
        assertThat(first.droppedCount()).isZero();
        assertThat(segments(dir.resolve("spill"))).isPositive();
        gw.restart();
        Reporter next = reporter(settings().build());
        assertThat(next.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(gw.ids()).isEqualTo(ids(0, 20));
    }

    @Test
    void aTornLineFromACrashIsDroppedAndCounted() throws IOException {
        Path spill = Files.createDirectories(dir.resolve("spill"));
        String ok = dev.switchboard.runtime.calllog.CallRecordJson.write(rec(1));
        Files.writeString(spill.resolve("seg-0000000000000000007.jsonl"), ok + "\n" + "{\"id\":\"c-2\",\"start" + ok.replace("c-1", "c-3") + "\n");
        Reporter r = reporter(settings().build());
        assertThat(r.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(gw.ids()).containsExactly("c-1");
        assertThat(r.droppedCount()).isEqualTo(1);
    }

    @Test
    void aSecondReporterOnTheSameDirectoryUsesItsInstanceSubdirectory() {
        Reporter a = reporter(settings().build());
        Reporter b = reporter(settings().instance("inst-2").build());
        assertThat(a.spillDirectory()).isEqualTo(dir.resolve("spill"));
        assertThat(b.spillDirectory()).isEqualTo(dir.resolve("spill").resolve("inst-2"));
        b.callLog().record(rec(7));
        assertThat(b.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(gw.ids()).containsExactly("c-7");
    }

    @Test
    void overflowingTheMemoryQueueIsCounted() {
        gw.stop();
        Reporter r = reporter(settings().queueCapacity(5).batchSize(1000).flushInterval(Duration.ofHours(1)).build());
        for (int i = 0; i < 20; i++) {
            r.callLog().record(rec(i));
            assertThat(r.callLog().writer().flush(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(r.droppedCount()).isEqualTo(15);
    }

    @Test
    void feedbackGoesToTheGatewayWithTheOrigin() throws Exception {
        Reporter r = reporter(settings().build());
        r.sendFeedback(Feedback.builder("c-1").thumbs(Feedback.Thumbs.UP).score(4.5).tags(List.of("billing")).build()).get();
        JsonNode f = gw.feedback.get(0);
        assertThat(f.get("call_id").asText()).isEqualTo("c-1");
        assertThat(f.get("thumbs").asText()).isEqualTo("up");
        assertThat(f.get("score").asDouble()).isEqualTo(4.5);
        assertThat(f.get("source").asText()).isEqualTo("billing/inst-1");
        assertThat(f.get("id").asText()).startsWith("fb_");
    }

    @Test
    void feedbackFailsWhenTheGatewayStaysAway() {
        gw.stop();
        Reporter r = reporter(settings().build());
        assertThatThrownBy(() -> r.sendFeedback(Feedback.builder("c-1").comment("meh").build()).get())
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SwitchboardException.class);
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> ReportSettings.builder(gw.uri(), "", "app")).hasMessageContaining("ingestKey");
        assertThatThrownBy(() -> ReportSettings.builder(gw.uri(), KEY, "my app")).hasMessageContaining("app");
        assertThatThrownBy(() -> ReportSettings.builder(java.net.URI.create("ftp://x"), KEY, "app")).hasMessageContaining("http");
        assertThatThrownBy(() -> settings().instance("a/b")).hasMessageContaining("instance");
        ReportSettings d = ReportSettings.builder(gw.uri(), KEY, "app").build();
        assertThat(d.instance()).endsWith("-" + ProcessHandle.current().pid());
        assertThat(d.origin()).isEqualTo("app/" + d.instance());
        assertThat(d.logContent()).isFalse();
    }
}
