package dev.switchboard.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads request bodies with hard limits (nesting depth 64, strings of at most 1,000,000 characters,
 * numbers of at most 1,000 digits, no duplicate keys, nothing after the document) and writes answers.
 * A body that breaks a rule becomes a 400 naming the line and column. Thread-safe.
 */
final class GatewayJson {
    static final int MAX_DEPTH = 64;
    static final int MAX_STRING = 1_000_000;
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_STRING).maxNumberLength(1000).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private GatewayJson() {
    }

    /** The shared mapper (limits applied). */
    static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A new empty object node. */
    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * Parses a request body that must be a JSON object.
     *
     * @throws GatewayException 400 when it is empty, not JSON, breaks a limit, or is not an object
     */
    static ObjectNode parseObject(byte[] body) {
        if (body.length == 0) {
            throw GatewayException.badRequest(null, "the request body is empty; expected a JSON object");
        }
        int bad = firstInvalidUtf8(body);
        if (bad >= 0) {
            throw GatewayException.badRequest(null, "the request body is not valid UTF-8 (byte " + bad + ")");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw GatewayException.badRequest(null, "the request body breaks a limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw GatewayException.badRequest(null, "the request body is not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw GatewayException.badRequest(null, "the request body cannot be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw GatewayException.badRequest(null, "the request body must be a JSON object, was "
                    + (node == null ? "empty" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return (ObjectNode) node;
    }

    /**
     * The offset of the first byte that breaks UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
     * U+10FFFF), or -1. The JSON parser alone lets encoded surrogates and some overlong forms through.
     */
    static int firstInvalidUtf8(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int len;
            int min2;
            int max2 = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                len = 2;
                min2 = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                len = 3;
                min2 = c == 0xE0 ? 0xA0 : 0x80;
                max2 = c == 0xED ? 0x9F : 0xBF;
            } else if (c >= 0xF0 && c <= 0xF4) {
                len = 4;
                min2 = c == 0xF0 ? 0x90 : 0x80;
                max2 = c == 0xF4 ? 0x8F : 0xBF;
            } else {
                return i;
            }
            if (i + len > n) {
                return i;
            }
            int c2 = b[i + 1] & 0xFF;
            if (c2 < min2 || c2 > max2) {
                return i;
            }
            for (int k = 2; k < len; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += len;
        }
        return -1;
    }

    /** Serializes a tree. */
    static byte[] bytes(JsonNode tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    /** Parses bytes this process wrote (no limits needed, but the same mapper). */
    static ObjectNode reparse(byte[] json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("cannot re-read JSON written by the gateway", e);
        }
    }
}
