package dev.switchboard.runtime.calllog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Completion;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.runtime.deploy.Greeter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link InMemoryCallLogStore} as a {@link FeedbackStore} and {@link CallLogIngest}, and {@code Switchboard.feedback} into it. */
class InMemoryFeedbackTest {

    static CallRecord rec(String id, String deployment, String variant) {
        return CallRecord.builder(id).startedAt(Instant.now()).status(CallRecord.Status.SUCCESS).deployment(deployment).variant(variant).build();
    }

    static List<String> ids(CallLogPage p) {
        return p.records().stream().map(CallRecord::id).toList();
    }

    @Test
    void ingestSkipsKnownIdsAndEvictionKeepsTheIndexRight() {
        InMemoryCallLogStore s = new InMemoryCallLogStore(3);
        assertThat(s.ingest(List.of(rec("a", "d", "v"), rec("b", "d", "v")))).isEqualTo(2);
        assertThat(s.ingest(List.of(rec("a", "d", "v"), rec("b", "d", "v"), rec("c", "d", "v")))).isEqualTo(1);
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.ingest(List.of(rec("d", "d", "v")))).isEqualTo(1); // evicts a
        assertThat(s.find("a")).isEmpty();
        assertThat(s.find("d")).isPresent();
        assertThat(s.ingest(List.of(rec("a", "d", "v")))).as("evicted ids may come back").isEqualTo(1);
    }

    @Test
    void feedbackIsKeptPerCallFilteredAndSummarised() {
        InMemoryCallLogStore s = new InMemoryCallLogStore(100);
        s.write(List.of(rec("c1", "support", "a"), rec("c2", "support", "b"), rec("c3", "support", "a"), rec("c4", "sales", "main")));
        Feedback up = Feedback.builder("c1").thumbs(Feedback.Thumbs.UP).score(5.0).build();
        assertThat(s.addFeedback(up)).isTrue();
        assertThat(s.addFeedback(up)).as("same id twice").isFalse();
        s.addFeedback(Feedback.builder("c1").score(3.0).build());
        s.addFeedback(Feedback.builder("c2").thumbs(Feedback.Thumbs.DOWN).comment("off").build());
        s.addFeedback(Feedback.builder("c4").thumbs(Feedback.Thumbs.UP).build());
        s.addFeedback(Feedback.builder("c-unknown").score(1.0).build());
        assertThat(s.feedback("c1")).hasSize(2).first().isEqualTo(up);
        assertThat(s.feedback("c3")).isEmpty();

        CallLogFilter all = CallLogFilter.all();
        assertThat(ids(s.search(all, new FeedbackFilter(FeedbackFilter.Presence.UP, null)))).containsExactly("c4", "c1");
        assertThat(ids(s.search(all, new FeedbackFilter(FeedbackFilter.Presence.DOWN, null)))).containsExactly("c2");
        assertThat(ids(s.search(all, new FeedbackFilter(FeedbackFilter.Presence.ANY, null)))).containsExactly("c4", "c2", "c1");
        assertThat(ids(s.search(all, new FeedbackFilter(FeedbackFilter.Presence.NONE, null)))).containsExactly("c3");
        assertThat(ids(s.search(all, new FeedbackFilter(null, 4.0)))).as("average 4").containsExactly("c1");
        assertThat(ids(s.search(all, new FeedbackFilter(null, 4.1)))).isEmpty();
        assertThat(ids(s.search(all.withDeployment("sales"), new FeedbackFilter(FeedbackFilter.Presence.ANY, null)))).containsExactly("c4");

        assertThat(s.feedbackSummary(all)).containsExactly(
                new FeedbackSummary("support", "a", 2, 2, 4.0, 1, 0),
                new FeedbackSummary("support", "b", 1, 0, null, 0, 1),
                new FeedbackSummary("sales", "main", 1, 0, null, 1, 0));
        assertThat(s.feedbackSummary(all.withDeployment("sales"))).singleElement().extracting(FeedbackSummary::count).isEqualTo(1L);
    }

    @Test
    void switchboardFeedbackGoesToTheLocalStore() {
        InMemoryCallLogStore store = new InMemoryCallLogStore(10);
        try (Switchboard sb = Switchboard.builder().classpathConfig(null).configYaml("providers: { mock: { type: mock } }")
                .callLog(CallLog.builder(store).origin("desk").build()).build()) {
            Completion<String> c = sb.create(Greeter.class).hi("Ada", "gold");
            sb.feedback(c.callId()).thumbsUp().comment("nice").send();
            assertThat(store.feedback(c.callId())).singleElement().satisfies(f -> {
                assertThat(f.thumbs()).isEqualTo(Feedback.Thumbs.UP);
                assertThat(f.source()).isEqualTo("desk");
            });
        }
    }
}
