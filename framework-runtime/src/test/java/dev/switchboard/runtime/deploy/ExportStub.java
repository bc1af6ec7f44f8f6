package dev.switchboard.runtime.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A stand-in for a gateway's {@code GET /v2/deployments/export}: ETag, If-None-Match, bearer key. */
final class ExportStub implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    final AtomicReference<List<DeploymentVersion>> versions = new AtomicReference<>(List.of());
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger notModified = new AtomicInteger();
    private final HttpServer server;

    ExportStub(int port, String key) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/v2/deployments/export", ex -> {
            requests.incrementAndGet();
            if (!("Bearer " + key).equals(ex.getRequestHeaders().getFirst("authorization"))) {
                send(ex, 401, "{\"error\":{\"message\":\"invalid API key\"}}", null);
                return;
            }
            ObjectNode export = DeploymentJson.export(versions.get());
            String etag = DeploymentJson.etag(export);
            if (etag.equals(ex.getRequestHeaders().getFirst("if-none-match"))) {
                notModified.incrementAndGet();
                ex.getResponseHeaders().set("etag", etag);
                ex.sendResponseHeaders(304, -1);
                ex.close();
                return;
            }
            send(ex, 200, JSON.writeValueAsString(export), etag);
        });
        server.start();
    }

    private static void send(com.sun.net.httpserver.HttpExchange ex, int status, String body, String etag) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("content-type", "application/json");
        if (etag != null) {
            ex.getResponseHeaders().set("etag", etag);
        }
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    /** Makes {@code definition} the next version of {@code key}. */
    DeploymentVersion publish(String key, ObjectNode definition) {
        List<DeploymentVersion> all = new ArrayList<>(versions.get());
        int next = all.stream().filter(v -> v.key().equals(key)).mapToInt(DeploymentVersion::number).max().orElse(0) + 1;
        all.removeIf(v -> v.key().equals(key));
        DeploymentVersion v = DeploymentVersion.builder(key, next).author("stub").definition(definition).build();
        all.add(v);
        versions.set(List.copyOf(all));
        return v;
    }

    int port() {
        return server.getAddress().getPort();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
