package dev.switchboard.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One HTTP request as the fake server received it, for assertions.
 *
 * <pre>{@code
 * RecordedRequest r = server.takeRequest(Duration.ofSeconds(1));
 * assertThat(r.path()).isEqualTo("/v1/chat/completions");
 * assertThat(r.header("authorization")).isEqualTo("Bearer sk-test");
 * assertThat(r.json().at("/messages/0/content").asText()).isEqualTo("hi");
 * }</pre>
 *
 * <p>Header lookup is case-insensitive. Immutable and thread-safe.
 */
public final class RecordedRequest {

    private final long sequence;
    private final long connectionId;
    private final String method;
    private final String target;
    private final String httpVersion;
    private final List<Map.Entry<String, String>> headerList;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final boolean chunked;
    private final Instant receivedAt;

    RecordedRequest(long sequence, long connectionId, String method, String target, String httpVersion,
                    List<Map.Entry<String, String>> headerList, byte[] body, boolean chunked, Instant receivedAt) {
        this.sequence = sequence;
        this.connectionId = connectionId;
        this.method = Objects.requireNonNull(method);
        this.target = Objects.requireNonNull(target);
        this.httpVersion = Objects.requireNonNull(httpVersion);
        this.headerList = List.copyOf(headerList);
        TreeMap<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> h : headerList) {
            map.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        this.headers = Collections.unmodifiableMap(map);
        this.body = body.clone();
        this.chunked = chunked;
        this.receivedAt = Objects.requireNonNull(receivedAt);
    }

    /** @return 0-based position of this request among all requests the server received since start or reset */
    public long sequence() { return sequence; }

    /** @return identifier of the TCP connection that carried it; equal ids prove keep-alive reuse */
    public long connectionId() { return connectionId; }

    /** @return the request method, e.g. {@code POST} */
    public String method() { return method; }

    /** @return the request target as sent, path plus optional {@code ?query} */
    public String target() { return target; }

    /** @return the path without the query string */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** @return the raw query string without {@code '?'}, or {@code null} when there is none */
    public String query() {
        int q = target.indexOf('?');
        return q < 0 ? null : target.substring(q + 1);
    }

    /** @return the protocol version, e.g. {@code HTTP/1.1} */
    public String httpVersion() { return httpVersion; }

    /**
     * @param name header name, any case
     * @return the first value of that header, or {@code null}
     */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null ? null : values.get(0);
    }

    /**
     * @param name header name, any case
     * @return all values of that header in arrival order, possibly empty
     */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** @return all headers; the map's key lookup is case-insensitive, unmodifiable */
    public Map<String, List<String>> headers() { return headers; }

    /** @return headers as received, in order, with their original name case */
    public List<Map.Entry<String, String>> headerList() { return headerList; }

    /** @return a copy of the decoded body bytes (chunked bodies are de-chunked) */
    public byte[] bodyBytes() { return body.clone(); }

    /** @return the body decoded as UTF-8, empty when there was none */
    public String body() { return new String(body, StandardCharsets.UTF_8); }

    /** @return whether the body arrived with {@code Transfer-Encoding: chunked} */
    public boolean chunked() { return chunked; }

    /**
     * @return the body parsed as JSON
     * @throws IllegalStateException if the body is not valid JSON
     */
    public JsonNode json() {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new IllegalStateException("request body is empty, not JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request body is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return when the server finished reading this request */
    public Instant receivedAt() { return receivedAt; }

    @Override
    public String toString() {
        return "RecordedRequest{#" + sequence + ' ' + method + ' ' + target + ", " + body.length + " bytes}";
    }
}
