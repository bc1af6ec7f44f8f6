package dev.switchboard.gateway.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.runtime.calllog.CallLogFilter;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.Feedback;
import dev.switchboard.runtime.calllog.FeedbackFilter;
import dev.switchboard.runtime.calllog.FeedbackSummary;
import dev.switchboard.runtime.calllog.InMemoryCallLogStore;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Feedback and idempotent ingestion in a {@link JdbcCallLogStore} database, checked against the in-memory store as
 * the reference: several feedbacks per call, one per id, kept before the call arrives; the feedback filters of a
 * search; the summary per deployment and variant; orphans removed by the retention sweep.
 */
abstract class FeedbackStoreContract {
    static final Instant AT = Instant.parse("2025-08-16T09:00:00Z");
    private final List<CallRecord> records = LogRecords.thirty();
    private final InMemoryCallLogStore reference = new InMemoryCallLogStore(100);
    JdbcCallLogStore store;

    abstract DataSource freshDatabase() throws Exception;

    private final List<Feedback> feedback = List.of(
            fb("f1", "call_01", 5.0, Feedback.Thumbs.UP, List.of("billing", "vip")),
            fb("f2", "call_01", 3.0, null, List.of()),
            fb("f3", "call_02", null, Feedback.Thumbs.DOWN, List.of()),
            fb("f4", "call_04", 1.0, Feedback.Thumbs.DOWN, List.of("triage")),
            fb("f5", "call_20", 4.0, Feedback.Thumbs.UP, List.of()),
            fb("f6", "call_nope", 2.0, null, List.of()));

    static Feedback fb(String id, String call, Double score, Feedback.Thumbs thumbs, List<String> tags) {
        return new Feedback(id, call, score, thumbs, score == null ? "no score" : null, tags, "billing/web-1", AT.plusSeconds(id.hashCode() % 7));
    }

    @BeforeEach
    void fill() throws Exception {
        store = JdbcCallLogStore.builder(freshDatabase()).build();
        for (Feedback f : feedback) {
            assertThat(store.addFeedback(f)).isTrue(); // before some calls are stored
            reference.addFeedback(f);
        }
        assertThat(store.ingest(records.subList(0, 20))).isEqualTo(20);
        assertThat(store.ingest(records)).as("a batch sent twice is stored once").isEqualTo(10);
        reference.ingest(records);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void feedbackRoundTripsOncePerId() throws Exception {
        assertThat(store.addFeedback(feedback.get(0))).isFalse();
        assertThat(store.feedback("call_01")).containsExactlyElementsOf(reference.feedback("call_01"));
        assertThat(store.feedback("call_01").get(0).tags()).containsExactly("billing", "vip");
        assertThat(store.feedback("call_02").get(0).score()).isNull();
        assertThat(store.feedback("call_nope")).hasSize(1);
        assertThat(store.feedback("call_03")).isEmpty();
    }

    @Test
    void searchesFilterByFeedbackLikeTheReference() {
        List<FeedbackFilter> filters = List.of(new FeedbackFilter(FeedbackFilter.Presence.UP, null),
                new FeedbackFilter(FeedbackFilter.Presence.DOWN, null), new FeedbackFilter(FeedbackFilter.Presence.ANY, null),
                new FeedbackFilter(FeedbackFilter.Presence.NONE, null), new FeedbackFilter(null, 3.5),
                new FeedbackFilter(FeedbackFilter.Presence.DOWN, 1.0), new FeedbackFilter(null, 0.0));
        for (CallLogFilter base : List.of(CallLogFilter.all().page(100, null), CallLogFilter.all().withDeployment("support").page(100, null))) {
            for (FeedbackFilter f : filters) {
                assertThat(ids(store.search(base, f).records())).as("%s %s", base.deployment(), f)
                        .containsExactlyElementsOf(ids(reference.search(base, f).records()));
            }
        }
        assertThat(ids(store.search(CallLogFilter.all(), new FeedbackFilter(null, 3.5)).records())).containsExactly("call_20", "call_01");
    }

    @Test
    void theSummaryIsPerDeploymentAndVariant() {
        for (CallLogFilter scope : List.of(CallLogFilter.all(), CallLogFilter.all().withDeployment("triage"))) {
            List<FeedbackSummary> got = store.feedbackSummary(scope);
            List<FeedbackSummary> want = reference.feedbackSummary(scope).stream()
                    .sorted(java.util.Comparator.comparing(FeedbackSummary::deployment).thenComparing(FeedbackSummary::variant)).toList();
            assertThat(got).hasSameSizeAs(want);
            for (int i = 0; i < want.size(); i++) {
                FeedbackSummary g = got.get(i);
                FeedbackSummary w = want.get(i);
                assertThat(List.of(g.deployment(), g.variant())).isEqualTo(List.of(w.deployment(), w.variant()));
                assertThat(List.of(g.count(), g.scored(), g.thumbsUp(), g.thumbsDown()))
                        .isEqualTo(List.of(w.count(), w.scored(), w.thumbsUp(), w.thumbsDown()));
                if (w.averageScore() == null) {
                    assertThat(g.averageScore()).isNull();
                } else {
                    assertThat(g.averageScore()).isCloseTo(w.averageScore(), within(1e-9));
                }
            }
        }
    }

    @Test
    void theRetentionSweepRemovesOldFeedbackOfCallsNoLongerStored() throws Exception {
        store.deleteStartedBefore(Instant.parse("2025-08-15T10:03:00Z")); // call_00..call_02; the feedback is younger
        assertThat(store.find("call_01")).isEmpty();
        assertThat(store.feedback("call_01")).as("younger than the cutoff").hasSize(2);
        store.deleteStartedBefore(Instant.parse("2025-08-16T10:00:00Z")); // every call, and the feedback is older now
        assertThat(store.feedback("call_01")).isEmpty();
        assertThat(store.feedback("call_nope")).isEmpty();
        assertThat(store.feedback("call_04")).isEmpty();
    }

    private static List<String> ids(List<CallRecord> rs) {
        return rs.stream().map(CallRecord::id).toList();
    }
}
