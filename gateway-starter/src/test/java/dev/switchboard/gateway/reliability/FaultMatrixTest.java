package dev.switchboard.gateway.reliability;

import static dev.switchboard.gateway.reliability.FaultyUpstreams.chatBody;
import static dev.switchboard.gateway.reliability.FaultyUpstreams.events;
import static dev.switchboard.gateway.reliability.FaultyUpstreams.json;
import static dev.switchboard.gateway.reliability.FaultyUpstreams.streamedText;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.Behavior;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every testkit fault at the provider, for plain and streamed calls through the gateway, with no policy,
 * with the {@code retry} body extension and with the {@code fallbacks} body extension. The client gets its
 * own answer exactly once; or an OpenAI-shaped 502/503/504 naming the provider and the failure; or, once a
 * stream has started, a final error event instead of {@code [DONE]}. Never a 200 with a partial or corrupt
 * answer, never duplicated text, never an answer after the call's time budget.
 */
class FaultMatrixTest {
    /** The call's total budget ({@code timeout} extension); the provider's request timeout is 1 s. */
    private static final Duration BUDGET = Duration.ofSeconds(4);
    /** What the client waits at most: anything longer is a hang. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(15);
    private static FaultyUpstreams up;

    enum Policy {
        NONE(""), RETRY("\"retry\":{\"count\":1,\"backoff\":\"1ms\"}"), FALLBACK("\"fallbacks\":[\"backup/m\"]");

        final String extension;

        Policy(String extension) {
            this.extension = extension;
        }
    }

    @BeforeAll
    static void start() {
        up = FaultyUpstreams.start();
    }

    @AfterAll
    static void stop() {
        up.close();
    }

    @BeforeEach
    void reset() {
        up.primary.reset();
        up.backup.reset();
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        Object[][] faults = {
            {"connection reset before headers", Fault.connectionReset()},
            {"close without answer", Fault.closeWithoutAnswer()},
            {"malformed JSON 200", Fault.malformedJson()},
            {"body cut halfway", Fault.bodyCutHalfway()},
            {"stream cut after 2 chunks", Fault.streamCutAfter(2).source(Reply.echo())},
            {"stall", Fault.stall()},
            {"HTTP 503", Reply.status(503)},
        };
        for (Object[] f : faults) {
            for (boolean stream : new boolean[] {false, true}) {
                for (Policy p : Policy.values()) {
                    all.add(Arguments.of(f[0], f[1], stream, p));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, stream={2}, {3}")
    @MethodSource("cases")
    void theClientGetsTheRightAnswerOnceOrACleanError(String name, Behavior fault, boolean stream, Policy policy) {
        String prompt = "alpha beta gamma delta " + UUID.randomUUID();
        up.primary.enqueue(fault);
        String extensions = "\"timeout\":\"" + BUDGET.toSeconds() + "s\"" + (policy.extension.isEmpty() ? "" : "," + policy.extension);

        long t0 = System.nanoTime();
        HttpResponse<String> r = up.chat(chatBody(prompt, stream, extensions), CLIENT_TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).as("answered within the call's budget").isLessThan(BUDGET.plusSeconds(1));
        boolean outputStarted = stream && fault instanceof Fault f && f.kind() == Fault.Kind.STREAM_CUT;
        if (outputStarted) {
            assertStreamEndsWithAnErrorEvent(r, prompt);
            assertThat(up.primary.requestCount()).as("no retry once output reached the client").isEqualTo(1);
            assertThat(up.backup.requestCount()).as("no fallback once output reached the client").isZero();
        } else if (policy == Policy.NONE) {
            assertCleanHttpError(r);
        } else {
            assertAnsweredOnce(r, prompt, stream);
            assertThat(up.primary.requestCount()).isEqualTo(policy == Policy.RETRY ? 2 : 1);
            assertThat(up.backup.requestCount()).isEqualTo(policy == Policy.FALLBACK ? 1 : 0);
        }
    }

    private static void assertAnsweredOnce(HttpResponse<String> r, String prompt, boolean stream) {
        assertThat(r.statusCode()).as("status; body %s", r.body()).isEqualTo(200);
        if (!stream) {
            JsonNode body = json(r.body());
            assertThat(body.path("object").asText()).isEqualTo("chat.completion");
            assertThat(body.at("/choices/0/message/content").asText()).isEqualTo(prompt);
            return;
        }
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));
        List<String> events = events(r.body());
        assertThat(events).last().isEqualTo("[DONE]");
        assertThat(events).filteredOn("[DONE]"::equals).hasSize(1);
        assertThat(events).noneMatch(e -> e.startsWith("{\"error\""));
        assertThat(streamedText(events)).as("the whole answer, exactly once").isEqualTo(prompt);
    }

    private static void assertCleanHttpError(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("status; body %s", r.body()).isIn(502, 503, 504);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode error = json(r.body()).path("error");
        assertThat(error.path("type").asText()).isIn("upstream_error", "service_unavailable_error", "timeout_error");
        assertThat(error.path("code").isTextual()).isTrue();
        assertThat(error.has("param")).isTrue();
        assertThat(error.path("message").asText()).as("names the provider").contains("primary/m");
        assertThat(error.path("message").asText()).as("says what failed").matches("(?s).*primary/m: \\S.*");
        assertThat(r.body()).doesNotContain(FaultyUpstreams.PRIMARY_KEY);
    }

    private static void assertStreamEndsWithAnErrorEvent(HttpResponse<String> r, String prompt) {
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> events = events(r.body());
        assertThat(events).doesNotContain("[DONE]");
        String last = events.get(events.size() - 1);
        JsonNode error = json(last).path("error");
        assertThat(error.path("type").asText()).isIn("upstream_error", "timeout_error");
        assertThat(error.path("message").asText()).as("names the provider: %s", last).contains("primary");
        assertThat(events.subList(0, events.size() - 1)).noneMatch(e -> e.startsWith("{\"error\""));
        String partial = streamedText(events);
        assertThat(partial).as("the partial text is the answer's start, once").isNotEmpty();
        assertThat(prompt).startsWith(partial);
        assertThat(partial).isNotEqualTo(prompt);
    }
}
