package dev.switchboard.runtime.calllog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
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

    /** The field names, their JSON text encoded once (the generator copies the bytes instead of escaping names). */
    private static final class Names {
        static final SerializableString ID = new SerializedString("id");
        static final SerializableString TRACE_ID = new SerializedString("trace_id");
        static final SerializableString SPAN_ID = new SerializedString("span_id");
        static final SerializableString STARTED_AT = new SerializedString("started_at");
        static final SerializableString ENDED_AT = new SerializedString("ended_at");
        static final SerializableString ORIGIN = new SerializedString("origin");
        static final SerializableString DEPLOYMENT = new SerializedString("deployment");
        static final SerializableString VARIANT = new SerializedString("variant");
        static final SerializableString VERSION = new SerializedString("version");
        static final SerializableString PROVIDER = new SerializedString("provider");
        static final SerializableString MODEL = new SerializedString("model");
        static final SerializableString RESPONSE_MODEL = new SerializedString("response_model");
        static final SerializableString OUTCOME = new SerializedString("outcome");
        static final SerializableString ERROR = new SerializedString("error");
        static final SerializableString STATUS = new SerializedString("status");
        static final SerializableString ERROR_TYPE = new SerializedString("error_type");
        static final SerializableString ERROR_MESSAGE = new SerializedString("error_message");
        static final SerializableString FINISH_REASON = new SerializedString("finish_reason");
        static final SerializableString ROLE = new SerializedString("role");
        static final SerializableString CONTENT = new SerializedString("content");
        static final SerializableString REPLY = new SerializedString("reply");
        static final SerializableString STREAMING = new SerializedString("streaming");
        static final SerializableString LATENCY_MS = new SerializedString("latency_ms");
        static final SerializableString TIME_TO_FIRST_TOKEN_MS = new SerializedString("time_to_first_token_ms");
        static final SerializableString INPUT_TOKENS = new SerializedString("input_tokens");
        static final SerializableString OUTPUT_TOKENS = new SerializedString("output_tokens");
        static final SerializableString CACHED_TOKENS = new SerializedString("cached_tokens");
        static final SerializableString COST_USD = new SerializedString("cost_usd");
        static final SerializableString ATTEMPTS = new SerializedString("attempts");
        static final SerializableString REQUEST_MESSAGES = new SerializedString("request_messages");
        static final SerializableString CONTEXT = new SerializedString("context");
        static final SerializableString METADATA = new SerializedString("metadata");
    }

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
        string(g, Names.ID, r.id());
        string(g, Names.TRACE_ID, r.traceId());
        string(g, Names.SPAN_ID, r.spanId());
        instant(g, Names.STARTED_AT, r.startedAt());
        instant(g, Names.ENDED_AT, r.endedAt());
        string(g, Names.ORIGIN, r.origin());
        string(g, Names.DEPLOYMENT, r.deployment());
        string(g, Names.VARIANT, r.variant());
        string(g, Names.VERSION, r.version());
        g.writeFieldName(Names.STREAMING);
        g.writeBoolean(r.streaming());
        string(g, Names.PROVIDER, r.provider());
        string(g, Names.MODEL, r.model());
        string(g, Names.RESPONSE_MODEL, r.responseModel());
        g.writeFieldName(Names.ATTEMPTS);
        g.writeStartArray();
        for (AttemptRecord a : r.attempts()) {
            g.writeStartObject();
            string(g, Names.PROVIDER, a.provider());
            string(g, Names.MODEL, a.model());
            string(g, Names.OUTCOME, a.outcome());
            number(g, Names.STATUS, a.status());
            string(g, Names.ERROR, a.error());
            number(g, Names.LATENCY_MS, a.latencyMs());
            g.writeEndObject();
        }
        g.writeEndArray();
        string(g, Names.STATUS, r.status() == CallRecord.Status.SUCCESS ? "success" : "error");
        string(g, Names.ERROR_TYPE, r.errorType());
        string(g, Names.ERROR_MESSAGE, r.errorMessage());
        string(g, Names.FINISH_REASON, r.finishReason());
        number(g, Names.LATENCY_MS, r.latencyMs());
        if (r.timeToFirstTokenMs() != null) {
            number(g, Names.TIME_TO_FIRST_TOKEN_MS, r.timeToFirstTokenMs());
        }
        number(g, Names.INPUT_TOKENS, r.inputTokens());
        number(g, Names.OUTPUT_TOKENS, r.outputTokens());
        number(g, Names.CACHED_TOKENS, r.cachedTokens());
        if (r.costUsd() != null) {
            g.writeFieldName(Names.COST_USD);
            g.writeNumber(r.costUsd());
        }
        map(g, Names.CONTEXT, r.context());
        map(g, Names.METADATA, r.metadata());
        if (r.requestMessages() != null) {
            g.writeFieldName(Names.REQUEST_MESSAGES);
            g.writeStartArray();
            for (MessageRecord m : r.requestMessages()) {
                g.writeStartObject();
                string(g, Names.ROLE, m.role());
                string(g, Names.CONTENT, m.content());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        string(g, Names.REPLY, r.reply());
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, SerializableString name, String value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeString(value);
        }
    }

    private static void number(JsonGenerator g, SerializableString name, long value) throws IOException {
        g.writeFieldName(name);
        g.writeNumber(value);
    }

    private static void instant(JsonGenerator g, SerializableString name, Instant value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            char[] text = new char[30];
            int n = iso(value, text);
            if (n < 0) {
                g.writeString(DateTimeFormatter.ISO_INSTANT.format(value));
            } else {
                g.writeString(text, 0, n); // no String made: the generator encodes the characters directly
            }
        }
    }

    /**
     * {@code t} as {@link DateTimeFormatter#ISO_INSTANT} writes it ({@code 2025-08-15T10:00:00.250Z}: the fraction in
     * 0, 3, 6 or 9 digits as needed); written directly for the years 1970 to 9999 (the formatter's general path costs
     * the call log's writer about a microsecond per record), by the formatter otherwise.
     */
    static String iso(Instant t) {
        char[] out = new char[30];
        int n = iso(t, out);
        return n < 0 ? DateTimeFormatter.ISO_INSTANT.format(t) : new String(out, 0, n);
    }

    /** Writes {@link #iso(Instant)}'s text into {@code out} (30 characters or more); returns its length, or -1 outside 1970–9999. */
    private static int iso(Instant t, char[] out) {
        long sec = t.getEpochSecond();
        if (sec < 0 || sec >= 253_402_300_800L) {
            return -1;
        }
        java.time.LocalDate day = java.time.LocalDate.ofEpochDay(sec / 86_400);
        int time = (int) (sec % 86_400);
        int nano = t.getNano();
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
        return n;
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static void map(JsonGenerator g, SerializableString name, Map<String, String> m) throws IOException {
        g.writeFieldName(name);
        g.writeStartObject();
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
