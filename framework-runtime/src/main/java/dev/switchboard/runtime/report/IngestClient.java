package dev.switchboard.runtime.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.runtime.calllog.CallRecordJson;
import dev.switchboard.runtime.calllog.Feedback;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The HTTP side of reporting: {@code POST /v2/logs/ingest} (a JSON array of records, gzip-compressed when
 * configured) and {@code POST /v2/feedback}, with {@code Authorization: Bearer <ingest key>} and the
 * {@code x-switchboard-app} / {@code x-switchboard-instance} headers. Never throws for an answer; classifies it.
 * Thread-safe.
 */
final class IngestClient {
    private static final Pattern RECORD_PARAM = Pattern.compile("records\\[(\\d+)].*");
    private final ReportSettings s;
    private final URI ingest;
    private final URI feedback;
    private final HttpClient http;

    /** What became of a request. */
    enum Kind {
        /** Stored (or already stored). */
        OK,
        /** The gateway could not be reached, or answered 401/403/404/408/429/5xx: send again later. */
        UNAVAILABLE,
        /** 413: send fewer records at a time. */
        TOO_LARGE,
        /** 400 naming one record ({@code records[i]…}): drop that record and send the rest. */
        BAD_RECORD,
        /** Another 4xx: the gateway will never take these records. */
        REJECTED
    }

    /** @param badIndex for {@link Kind#BAD_RECORD}, the index of the record at fault */
    record Result(Kind kind, int status, int badIndex, String message) {
    }

    IngestClient(ReportSettings s) {
        this.s = s;
        this.ingest = URI.create(s.gateway() + "/v2/logs/ingest");
        this.feedback = URI.create(s.gateway() + "/v2/feedback");
        this.http = HttpClient.newBuilder().connectTimeout(s.timeout()).build();
    }

    /** Sends records (each a JSON object's text), blocking for at most the timeout. */
    Result post(List<String> records) {
        StringBuilder sb = new StringBuilder(records.size() * 512).append('[');
        for (int i = 0; i < records.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(records.get(i));
        }
        byte[] body = sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder rb = request(ingest);
        if (s.compression()) {
            body = gzip(body);
            rb.header("content-encoding", "gzip");
        }
        try {
            HttpResponse<String> r = http.send(rb.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return classify(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Result(Kind.UNAVAILABLE, 0, -1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Kind.UNAVAILABLE, 0, -1, "interrupted");
        }
    }

    /** Sends one feedback; the future completes with the classified answer (never exceptionally). */
    CompletableFuture<Result> post(Feedback f) {
        byte[] body;
        try {
            body = CallRecordJson.mapper().writeValueAsBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return http.sendAsync(request(feedback).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> classify(r.statusCode(), r.body()))
                .exceptionally(e -> new Result(Kind.UNAVAILABLE, 0, -1, String.valueOf(e.getCause() != null ? e.getCause() : e)));
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(s.timeout())
                .header("authorization", "Bearer " + s.ingestKey())
                .header("content-type", "application/json")
                .header("x-switchboard-app", s.app())
                .header("x-switchboard-instance", s.instance());
    }

    static Result classify(int status, String body) {
        if (status >= 200 && status < 300) {
            return new Result(Kind.OK, status, -1, null);
        }
        String message = abbreviate(body);
        if (status == 413) {
            return new Result(Kind.TOO_LARGE, status, -1, message);
        }
        if (status == 400) {
            Matcher m = RECORD_PARAM.matcher(param(body));
            return m.matches() ? new Result(Kind.BAD_RECORD, status, Integer.parseInt(m.group(1)), message)
                    : new Result(Kind.REJECTED, status, -1, message);
        }
        boolean later = status == 401 || status == 403 || status == 404 || status == 408 || status == 429 || status >= 500;
        return new Result(later ? Kind.UNAVAILABLE : Kind.REJECTED, status, -1, message);
    }

    private static String param(String body) {
        try {
            JsonNode n = CallRecordJson.mapper().readTree(body);
            return n == null ? "" : n.path("error").path("param").asText("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
