package dev.switchboard.runtime.calllog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/**
 * The JSON form of {@link CallRecord}s: snake_case keys, ISO-8601 instants, absent values omitted,
 * unknown keys ignored on reading (newer writers may add fields). Thread-safe.
 */
public final class CallRecordJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
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

    /** {@code record} as JSON text. */
    public static String write(CallRecord record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
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
}
