package dev.switchboard.gateway.reliability;

import static dev.switchboard.gateway.reliability.FaultyUpstreams.chatBody;
import static dev.switchboard.gateway.reliability.FaultyUpstreams.events;
import static dev.switchboard.gateway.reliability.FaultyUpstreams.json;
import static dev.switchboard.gateway.reliability.FaultyUpstreams.streamedText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.calllog.AttemptRecord;
import dev.switchboard.runtime.calllog.CallLog;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.InMemoryCallLogStore;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of concurrent plain and streamed calls through the gateway while 40% of the primary's answers
 * fail at random (every fault that can strike before output), with a retry and a healthy fallback: every call
 * is answered with its own reply (unique prompts, echoed), nothing crosses between calls, and the call log
 * holds exactly one record per call, carrying every attempt that the providers saw.
 */
class FaultConcurrencyTest {
    private static final int CALLS = 300;

    @Test
    void everyCallIsAnsweredWithItsOwnReplyAndLoggedOnce() throws Exception {
        InMemoryCallLogStore store = new InMemoryCallLogStore(10_000);
        CallLog log = CallLog.builder(store).build();
        try (FaultyUpstreams up = FaultyUpstreams.start("5s", "gateway: { drain_timeout: 5s }\n", b -> b.callLog(log))) {
            up.primary.randomFaults(0.4, 42L, Reply.status(503), Reply.status(500), Fault.connectionReset(),
                    Fault.closeWithoutAnswer(), Fault.malformedJson(), Fault.bodyCutHalfway(), Fault.stall());
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                boolean stream = i % 2 == 1;
                calls.add(up.chatAsync(chatBody(prompt(i), stream,
                        "\"retry\":{\"count\":1,\"backoff\":\"1ms\"},\"fallbacks\":[\"backup/m\"],\"timeout\":\"25s\""),
                        Duration.ofSeconds(40)));
            }
            Map<String, String> promptByCallId = new HashMap<>();
            int retriedOrFellBack = 0;
            for (int i = 0; i < CALLS; i++) {
                HttpResponse<String> r = calls.get(i).get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as("call %d: %s", i, r.body()).isEqualTo(200);
                String text = i % 2 == 1 ? streamedTextOf(r, i) : json(r.body()).at("/choices/0/message/content").asText();
                assertThat(text).as("call %d gets its own answer", i).isEqualTo(prompt(i));
                String callId = r.headers().firstValue("x-switchboard-call-id").orElseThrow();
                assertThat(promptByCallId.put(callId, prompt(i))).as("call ids are unique").isNull();
                if (r.headers().firstValue("x-switchboard-attempts").map(Integer::parseInt).orElse(1) > 1) {
                    retriedOrFellBack++;
                }
            }
            int upstreamRequests = up.primary.requestCount() + up.backup.requestCount();
            assertThat(upstreamRequests).as("faults were injected").isGreaterThan(CALLS + CALLS / 5);
            assertThat(retriedOrFellBack).isPositive();

            assertThat(log.writer().flush(Duration.ofSeconds(10))).isTrue();
            List<CallRecord> records = store.records();
            assertThat(records).as("one record per call").hasSize(CALLS);
            int attempts = 0;
            for (CallRecord rec : records) {
                assertThat(promptByCallId).as("the record of a call the client made").containsKey(rec.id());
                assertThat(rec.status()).isEqualTo(CallRecord.Status.SUCCESS);
                assertThat(rec.reply()).as("the record's reply is its own call's").isEqualTo(promptByCallId.get(rec.id()));
                assertThat(rec.attempts()).isNotEmpty();
                AttemptRecord last = rec.attempts().get(rec.attempts().size() - 1);
                assertThat(last.outcome()).isEqualTo("success");
                assertThat(rec.attempts().subList(0, rec.attempts().size() - 1)).allMatch(a -> !a.outcome().equals("success"));
                attempts += rec.attempts().size();
            }
            assertThat(attempts).as("every request a provider saw is an attempt of one record").isEqualTo(upstreamRequests);
        } finally {
            log.close();
        }
    }

    private static String prompt(int i) {
        return "question " + i + " of " + CALLS + " #" + Integer.toHexString(i * 7919);
    }

    private static String streamedTextOf(HttpResponse<String> r, int i) {
        List<String> events = events(r.body());
        assertThat(events).as("call %d ends with [DONE]", i).last().isEqualTo("[DONE]");
        assertThat(events).noneMatch(e -> e.startsWith("{\"error\""));
        return streamedText(events);
    }
}
