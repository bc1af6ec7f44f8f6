package dev.switchboard.runtime.calllog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallLogStoreTest {

    static CallRecord rec(int i, String deployment, CallRecord.Status status) {
        return CallRecord.builder("call_" + i).startedAt(Instant.ofEpochSecond(1_000 + i)).deployment(deployment)
                .status(status).metadata(Map.of("user", "u" + (i % 2))).reply("answer " + i).build();
    }

    @Test
    void theRingBufferKeepsTheNewestRecords() {
        InMemoryCallLogStore store = new InMemoryCallLogStore(3);
        store.write(List.of(rec(1, "a", CallRecord.Status.SUCCESS), rec(2, "a", CallRecord.Status.SUCCESS)));
        store.write(List.of(rec(3, "a", CallRecord.Status.SUCCESS), rec(4, "a", CallRecord.Status.SUCCESS)));
        assertThat(store.records()).extracting(CallRecord::id).containsExactly("call_2", "call_3", "call_4");
        assertThat(store.find("call_1")).isEmpty();
        assertThat(store.find("call_3")).isPresent();
        assertThat(store.batchCount()).isEqualTo(2);
    }

    @Test
    void searchFiltersAndPagesNewestFirst() {
        InMemoryCallLogStore store = new InMemoryCallLogStore(100);
        for (int i = 1; i <= 10; i++) {
            store.write(List.of(rec(i, i <= 6 ? "a" : "b", i % 3 == 0 ? CallRecord.Status.ERROR : CallRecord.Status.SUCCESS)));
        }
        CallLogPage first = store.search(CallLogFilter.all().withDeployment("a").page(2, null));
        assertThat(first.records()).extracting(CallRecord::id).containsExactly("call_6", "call_5");
        CallLogPage second = store.search(CallLogFilter.all().withDeployment("a").page(2, first.nextCursor()));
        assertThat(second.records()).extracting(CallRecord::id).containsExactly("call_4", "call_3");
        CallLogPage last = store.search(CallLogFilter.all().withDeployment("a").page(2, second.nextCursor()));
        assertThat(last.records()).extracting(CallRecord::id).containsExactly("call_2", "call_1");
        assertThat(last.nextCursor()).isNull();

        assertThat(store.search(CallLogFilter.all().withStatus(CallRecord.Status.ERROR)).records())
                .extracting(CallRecord::id).containsExactly("call_9", "call_6", "call_3");
        assertThat(store.search(CallLogFilter.all().withText("ANSWER 7")).records()).extracting(CallRecord::id).containsExactly("call_7");
        CallLogFilter byUser = new CallLogFilter(Instant.ofEpochSecond(1_004), Instant.ofEpochSecond(1_009), null, null, null,
                null, null, null, null, Map.of("user", "u1"), 0, null);
        assertThat(store.search(byUser).records()).extracting(CallRecord::id).containsExactly("call_7", "call_5");
        assertThatThrownBy(() -> store.search(CallLogFilter.all().page(5, "nope"))).isInstanceOf(IllegalArgumentException.class);
    }
}
