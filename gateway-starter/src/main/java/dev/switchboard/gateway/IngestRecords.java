package dev.switchboard.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.CallRecordJson;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the body of {@code POST /v2/logs/ingest}: a JSON array of call records (their {@code CallRecordJson} form),
 * or {@code {"records": [...]}}, at most {@value #MAX_RECORDS} of them. Every record is checked before any is
 * stored: {@code id}, {@code started_at} and {@code status} are required, strings, lists and maps are bounded,
 * counts are not negative; a problem is a 400 whose {@code param} names the record and field
 * ({@code records[3].started_at}). Each record is stamped with its origin: its own {@code origin} unless absent
 * or {@code gateway}, else {@code <app>/<instance>} from the {@code x-switchboard-app} and
 * {@code x-switchboard-instance} headers. Stateless and thread-safe.
 */
final class IngestRecords {
    static final int MAX_RECORDS = 1000;
    static final int MAX_ID = 128;
    static final int MAX_SHORT = 256;
    static final int MAX_ERROR = 16_384;
    static final int MAX_MESSAGES = 1000;
    static final int MAX_ATTEMPTS = 100;
    static final int MAX_ENTRIES = 64;
    static final int MAX_VALUE = 1024;
    private static final List<String> SHORT_FIELDS = List.of("trace_id", "span_id", "origin", "deployment", "variant", "version",
            "provider", "model", "response_model", "error_type", "finish_reason");
    private static final List<String> COUNTS = List.of("latency_ms", "time_to_first_token_ms", "input_tokens", "output_tokens",
            "cached_tokens");

    private IngestRecords() {
    }

    /**
     * The records of {@code body}, validated and stamped with their origin.
     *
     * @param headerOrigin {@code app/instance} from the request headers, or null
     * @throws GatewayException 400 naming the record and field at fault
     */
    static List<CallRecord> read(byte[] body, String headerOrigin) {
        JsonNode root = parse(body);
        JsonNode list = root.isObject() ? root.get("records") : root;
        if (list == null || !list.isArray()) {
            throw GatewayException.badRequest("records", "the body must be a JSON array of call records, or {\"records\": [...]}");
        }
        if (list.size() > MAX_RECORDS) {
            throw GatewayException.badRequest("records", "at most " + MAX_RECORDS + " records per request, got " + list.size());
        }
        List<CallRecord> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String at = "records[" + i + "]";
            JsonNode n = list.get(i);
            if (!n.isObject()) {
                throw GatewayException.badRequest(at, at + " must be a call record object");
            }
            check(n, at);
            CallRecord r;
            try {
                r = CallRecordJson.mapper().treeToValue(n, CallRecord.class);
            } catch (JsonMappingException e) {
                String field = e.getPath().stream().map(p -> p.getFieldName() != null ? "." + p.getFieldName() : "[" + p.getIndex() + "]")
                        .collect(Collectors.joining());
                throw GatewayException.badRequest(at + field, at + field + ": " + e.getOriginalMessage());
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw GatewayException.badRequest(at, at + ": " + e.getMessage());
            }
            String origin = r.origin() == null || r.origin().isBlank() || r.origin().equals("gateway") ? headerOrigin : r.origin();
            out.add(r.toBuilder().origin(origin == null ? "application" : origin).build());
        }
        return out;
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw GatewayException.badRequest(null, "the request body is empty; expected a JSON array of call records");
        }
        try {
            JsonNode n = GatewayJson.mapper().readTree(body);
            if (n == null) {
                throw GatewayException.badRequest(null, "the request body is empty; expected a JSON array of call records");
            }
            return n;
        } catch (StreamConstraintsException e) {
            throw GatewayException.badRequest(null, "the request body breaks a limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw GatewayException.badRequest(null, "the request body is not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw GatewayException.badRequest(null, "the request body cannot be read: " + e.getMessage());
        }
    }

    private static void check(JsonNode n, String at) {
        JsonNode id = n.get("id");
        require(id != null && id.isTextual() && !id.textValue().isBlank() && id.textValue().length() <= MAX_ID, at, "id",
                "is required: a string of at most " + MAX_ID + " characters");
        JsonNode started = n.get("started_at");
        require(started != null && started.isTextual() && instant(started.textValue()), at, "started_at", "is required: an ISO-8601 instant");
        JsonNode ended = n.get("ended_at");
        require(ended == null || ended.isNull() || ended.isTextual() && instant(ended.textValue()), at, "ended_at", "must be an ISO-8601 instant");
        JsonNode status = n.get("status");
        require(status != null && ("success".equals(status.asText()) || "error".equals(status.asText())), at, "status",
                "is required: success or error");
        for (String f : SHORT_FIELDS) {
            JsonNode v = n.get(f);
            require(v == null || v.isNull() || v.isTextual() && v.textValue().length() <= MAX_SHORT, at, f,
                    "must be a string of at most " + MAX_SHORT + " characters");
        }
        JsonNode err = n.get("error_message");
        require(err == null || err.isNull() || err.isTextual() && err.textValue().length() <= MAX_ERROR, at, "error_message",
                "must be a string of at most " + MAX_ERROR + " characters");
        for (String f : COUNTS) {
            JsonNode v = n.get(f);
            require(v == null || v.isNull() || v.canConvertToLong() && v.isIntegralNumber() && v.longValue() >= 0, at, f,
                    "must be a whole number, not negative");
        }
        size(n.get("request_messages"), at, "request_messages", MAX_MESSAGES);
        size(n.get("attempts"), at, "attempts", MAX_ATTEMPTS);
        map(n.get("context"), at, "context");
        map(n.get("metadata"), at, "metadata");
    }

    private static void size(JsonNode v, String at, String field, int max) {
        require(v == null || v.isNull() || v.isArray() && v.size() <= max, at, field, "must be a list of at most " + max + " entries");
    }

    private static void map(JsonNode v, String at, String field) {
        if (v == null || v.isNull()) {
            return;
        }
        require(v.isObject() && v.size() <= MAX_ENTRIES, at, field, "must be an object of at most " + MAX_ENTRIES + " entries");
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            require(e.getKey().length() <= MAX_SHORT && e.getValue().isValueNode() && e.getValue().asText().length() <= MAX_VALUE,
                    at, field + "." + e.getKey(), "must be a string of at most " + MAX_VALUE + " characters");
        }
    }

    private static boolean instant(String s) {
        try {
            Instant.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static void require(boolean ok, String at, String field, String problem) {
        if (!ok) {
            throw GatewayException.badRequest(at + "." + field, at + "." + field + " " + problem);
        }
    }
}
