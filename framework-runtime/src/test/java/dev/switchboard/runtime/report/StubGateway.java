package dev.switchboard.runtime.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for a gateway's {@code /v2/logs/ingest} and {@code /v2/feedback}: checks the bearer key, takes a
 * (gzip) JSON array, keeps records by id (a resent record is stored once) and the order ids first arrived in.
 * {@link #answer} scripts a status per request; {@link #stop()} and {@link #restart()} take it away and back on
 * the same port.
 */
final class StubGateway implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    final Map<String, JsonNode> stored = new LinkedHashMap<>();
    final List<String> arrivals = new CopyOnWriteArrayList<>();
    final List<JsonNode> feedback = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    volatile Function<JsonNode, Integer> answer = batch -> 200;
    volatile String badParam;
    private final String key;
    private final int port;
    private HttpServer server;

    StubGateway(String key) throws IOException {
        this(key, 0);
    }

    private StubGateway(String key, int port) throws IOException {
        this.key = key;
        this.server = bind(port);
        this.port = server.getAddress().getPort();
    }

    private HttpServer bind(int p) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 0);
        s.createContext("/v2/logs/ingest", this::ingest);
        s.createContext("/v2/feedback", this::feedback);
        s.start();
        return s;
    }

    private void ingest(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        if (!("Bearer " + key).equals(ex.getRequestHeaders().getFirst("authorization"))) {
            send(ex, 401, "{\"error\":{\"message\":\"invalid API key\"}}");
            return;
        }
        headers.add(Map.of("content-encoding", String.valueOf(ex.getRequestHeaders().getFirst("content-encoding")),
                "x-switchboard-app", String.valueOf(ex.getRequestHeaders().getFirst("x-switchboard-app")),
                "x-switchboard-instance", String.valueOf(ex.getRequestHeaders().getFirst("x-switchboard-instance"))));
        InputStream in = ex.getRequestBody();
        if ("gzip".equals(ex.getRequestHeaders().getFirst("content-encoding"))) {
            in = new GZIPInputStream(in);
        }
        JsonNode batch = JSON.readTree(in.readAllBytes());
        int status = answer.apply(batch);
        if (status != 200) {
            String param = badParam == null ? "null" : "\"" + badParam + "\"";
            send(ex, status, "{\"error\":{\"message\":\"scripted " + status + "\",\"param\":" + param + "}}");
            return;
        }
        int fresh = 0;
        synchronized (stored) {
            for (JsonNode r : batch) {
                if (stored.putIfAbsent(r.get("id").asText(), r) == null) {
                    arrivals.add(r.get("id").asText());
                    fresh++;
                }
            }
        }
        send(ex, 200, "{\"received\":" + batch.size() + ",\"stored\":" + fresh + "}");
    }

    private void feedback(HttpExchange ex) throws IOException {
        if (!("Bearer " + key).equals(ex.getRequestHeaders().getFirst("authorization"))) {
            send(ex, 401, "{\"error\":{\"message\":\"invalid API key\"}}");
            return;
        }
        feedback.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
        send(ex, 201, "{}");
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("content-type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    /** Ids stored, in the order they first arrived. */
    List<String> ids() {
        return new ArrayList<>(arrivals);
    }

    int size() {
        synchronized (stored) {
            return stored.size();
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Stops listening (connections are refused). */
    synchronized void stop() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    synchronized void restart() throws IOException {
        server = bind(port);
    }

    @Override
    public synchronized void close() {
        server.stop(0);
    }
}
