package dev.switchboard.spi.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event-stream parser against the WHATWG rules it implements: fields, data lines joined, blank-line dispatch. */
class SseParserTest {
    private final List<SseEvent> events = new ArrayList<>();
    private final SseParser parser = new SseParser(events::add);

    private void feed(String... lines) {
        for (String l : lines) {
            parser.line(l);
        }
    }

    @Test
    void aDataLineThenABlankLineIsOneMessageEventWithThatData() {
        feed("data: {\"a\":1}", "");
        assertThat(events).containsExactly(new SseEvent("message", "{\"a\":1}", null));
    }

    @Test
    void severalDataLinesAreJoinedWithNewlinesIncludingEmptyOnes() {
        feed("data: one", "data:", "data: three", "");
        feed("data:", "data: after an empty first", "");
        feed("data:", "data:", "");
        assertThat(events).extracting(SseEvent::data)
                .containsExactly("one\n\nthree", "\nafter an empty first", "\n");
    }

    @Test
    void onlyOneSpaceAfterTheColonIsDroppedAndALineWithoutAColonIsAFieldWithAnEmptyValue() {
        feed("data:  two spaces", "");
        feed("data:no space", "");
        feed("data", "");
        assertThat(events).extracting(SseEvent::data).containsExactly(" two spaces", "no space", "");
    }

    @Test
    void theEventTypeLastsOneEventAndTheIdLastsUntilTheNextIdAsTheLastEventIdDoes() {
        feed("event: delta", "id: 7", "data: x", "", "data: y", "", "id: 8", "data: z", "");
        assertThat(events).containsExactly(new SseEvent("delta", "x", "7"), new SseEvent("message", "y", "7"),
                new SseEvent("message", "z", "8"));
    }

    @Test
    void commentsUnknownFieldsAndFieldsThatOnlyStartLikeKnownOnesAreSkipped() {
        feed(": keep-alive", "retry: 100", "datum: no", "data2: no", "ids: no", "data: yes", "");
        assertThat(events).containsExactly(new SseEvent("message", "yes", null));
    }

    @Test
    void aBlankLineWithNothingGatheredDispatchesNothingButAnEventFieldAloneDoes() {
        feed("", "", "event: ping", "");
        assertThat(events).containsExactly(new SseEvent("ping", "", null));
    }

    @Test
    void theEndDispatchesAnEventLeftWithoutItsBlankLine() {
        feed("data: last");
        assertThat(events).isEmpty();
        parser.end();
        parser.end();
        assertThat(events).containsExactly(new SseEvent("message", "last", null));
    }
}
