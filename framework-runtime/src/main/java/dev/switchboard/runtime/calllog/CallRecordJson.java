package dev.switchboard.runtime.calllog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The JSON form of {@link CallRecord}s: snake_case keys, ISO-8601 instants, absent values omitted,
 * unknown keys ignored on reading (newer writers may add fields). {@link #write} streams the record through a
 * {@link JsonGenerator} (the call log writes one per call, so it skips data binding's reflection); its output is
 * the same as the mapper's {@code writeValueAsString}. Thread-safe.
 */
public final class CallRecordJson {
    // Reads whatever a writer wrote: Jackson's default cap of 20 M characters per string would make a record with a
    // long reply unreadable (GET /v1/logs/{id}, searches, moving rows into blocks).
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build()).build())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private CallRecordJson() {
    }

    /** The mapper (shared; do not reconfigure). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@code record} as JSON text (what {@code mapper().writeValueAsString(record)} gives). */
    public static String write(CallRecord record) {
        // Jackson's recycled text segments, as writeValueAsString uses (a StringWriter copies through a StringBuffer)
        SegmentedStringWriter out = new SegmentedStringWriter(MAPPER.getFactory()._getBufferRecycler());
        try {
            try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
                write(g, record);
            }
            return out.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code record} as one JSON value onto {@code g} (the same text as {@link #write(CallRecord)}); for
     * writers that put many records through one generator, such as a stream of UTF-8 bytes.
     */
    public static void write(JsonGenerator g, CallRecord r) throws IOException {
        g.writeStartObject();
        string(g, "id", r.id());
        string(g, "trace_id", r.traceId());
        string(g, "span_id", r.spanId());
        instant(g, "started_at", r.startedAt());
        instant(g, "ended_at", r.endedAt());
        string(g, "origin", r.origin());
        string(g, "deployment", r.deployment());
        string(g, "variant", r.variant());
        string(g, "version", r.version());
        g.writeBooleanField("streaming", r.streaming());
        string(g, "provider", r.provider());
        string(g, "model", r.model());
        string(g, "response_model", r.responseModel());
        g.writeArrayFieldStart("attempts");
        for (AttemptRecord a : r.attempts()) {
            g.writeStartObject();
            string(g, "provider", a.provider());
            string(g, "model", a.model());
            string(g, "outcome", a.outcome());
            g.writeNumberField("status", a.status());
            string(g, "error", a.error());
            g.writeNumberField("latency_ms", a.latencyMs());
            g.writeEndObject();
        }
        g.writeEndArray();
        string(g, "status", r.status() == CallRecord.Status.SUCCESS ? "success" : "error");
        string(g, "error_type", r.errorType());
        string(g, "error_message", r.errorMessage());
        string(g, "finish_reason", r.finishReason());
        g.writeNumberField("latency_ms", r.latencyMs());
        if (r.timeToFirstTokenMs() != null) {
            g.writeNumberField("time_to_first_token_ms", r.timeToFirstTokenMs());
        }
        g.writeNumberField("input_tokens", r.inputTokens());
        g.writeNumberField("output_tokens", r.outputTokens());
        g.writeNumberField("cached_tokens", r.cachedTokens());
        if (r.costUsd() != null) {
            g.writeNumberField("cost_usd", r.costUsd());
        }
        map(g, "context", r.context());
        map(g, "metadata", r.metadata());
        if (r.requestMessages() != null) {
            g.writeArrayFieldStart("request_messages");
            for (MessageRecord m : r.requestMessages()) {
                g.writeStartObject();
                string(g, "role", m.role());
                string(g, "content", m.content());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        string(g, "reply", r.reply());
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void instant(JsonGenerator g, String name, Instant value) throws IOException {
        if (value != null) {
            g.writeStringField(name, iso(value));
        }
    }

    /**
     * {@code t} as {@link DateTimeFormatter#ISO_INSTANT} writes it ({@code 2025-08-15T10:00:00.250Z}: the fraction in
     * 0, 3, 6 or 9 digits as needed); written directly for the years 1970 to 9999 (the formatter's general path costs
     * the call log's writer about a microsecond per record), by the formatter otherwise.
     */
    static String iso(Instant t) {
        long sec = t.getEpochSecond();
        if (sec < 0 || sec >= 253_402_300_800L) {
            return DateTimeFormatter.ISO_INSTANT.format(t);
        }
        java.time.LocalDate day = java.time.LocalDate.ofEpochDay(sec / 86_400);
        int time = (int) (sec % 86_400);
        int nano = t.getNano();
        char[] out = new char[30];
        digits(out, 0, day.getYear(), 4);
        out[4] = '-';
        digits(out, 5, day.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, day.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, time / 3_600, 2);
        out[13] = ':';
        digits(out, 14, time / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, time % 60, 2);
        int n = 19;
        if (nano != 0) {
            out[n++] = '.';
            if (nano % 1_000_000 == 0) {
                digits(out, n, nano / 1_000_000, 3);
                n += 3;
            } else if (nano % 1_000 == 0) {
                digits(out, n, nano / 1_000, 6);
                n += 6;
            } else {
                digits(out, n, nano, 9);
                n += 9;
            }
        }
        out[n++] = 'Z';
        return new String(out, 0, n);
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static void map(JsonGenerator g, String name, Map<String, String> m) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, String> e : m.entrySet()) {
            g.writeFieldName(e.getKey());
            if (e.getValue() == null) {
                g.writeNull();
            } else {
                g.writeString(e.getValue());
            }
        }
        g.writeEndObject();
    }

    /**
     * Reads a record.
     *
     * @throws IllegalArgumentException when the text is not a valid record
     */
    public static CallRecord read(String json) {
        try {
            return MAPPER.readValue(json, CallRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a call record: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a record from {@code length} bytes of UTF-8 JSON at {@code offset} in {@code bytes}.
     *
     * @throws IllegalArgumentException when the bytes are not a valid record
     */
    public static CallRecord read(byte[] bytes, int offset, int length) {
        try {
            return MAPPER.readValue(bytes, offset, length, CallRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a call record: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
