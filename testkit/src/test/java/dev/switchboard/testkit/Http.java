package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Test helpers around the JDK HttpClient and raw sockets. */
final class Http {

    static final ObjectMapper MAPPER = new ObjectMapper();

    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /** Lines of an SSE body as far as they arrived, with their arrival times, and the error that ended it. */
    record Stream(int status, String contentType, List<String> lines, List<Long> nanos, IOException error) {
        List<String> data() {
            return lines.stream().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        }

        List<String> events() {
            return lines.stream().filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).toList();
        }
    }

    static HttpRequest post(URI uri, String json) {
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> post(FakeLlmServer server, String path, String json) throws IOException {
        return send(post(server.url(path), json));
    }

    /**
     * Collects the SSE lines as they arrive, keeping those that arrived before a transport error. Status and
     * content type come from the response head, so they are known even when the JDK client fails the whole
     * exchange because the error arrived before {@code send} returned.
     */
    Stream stream(FakeLlmServer server, String path, String json) throws IOException {
        LineCollector collector = new LineCollector();
        IOException sendError = null;
        try {
            client.send(post(server.url(path), json), info -> {
                collector.status = info.statusCode();
                collector.contentType = info.headers().firstValue("content-type").orElse("");
                return collector;
            });
        } catch (IOException e) {
            if (collector.status == 0) {
                throw e; // failed before any response head
            }
            sendError = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try {
            collector.done.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
        synchronized (collector) {
            return new Stream(collector.status, collector.contentType, List.copyOf(collector.lines),
                    List.copyOf(collector.nanos), collector.error != null ? collector.error : sendError);
        }
    }

    /** A body subscriber that completes the HTTP exchange at once and splits the body into lines. */
    private static final class LineCollector implements HttpResponse.BodySubscriber<Void> {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final List<String> lines = new ArrayList<>();
        final List<Long> nanos = new ArrayList<>();
        final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        volatile int status;
        volatile String contentType = "";
        IOException error;
        Flow.Subscription subscription;

        @Override
        public CompletionStage<Void> getBody() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                while (b.hasRemaining()) {
                    byte c = b.get();
                    if (c == '\n') {
                        lines.add(partial.toString(StandardCharsets.UTF_8));
                        nanos.add(System.nanoTime());
                        partial.reset();
                    } else {
                        partial.write(c);
                    }
                }
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            error = t instanceof IOException ? (IOException) t : new IOException(t);
            done.complete(null);
        }

        @Override
        public synchronized void onComplete() {
            done.complete(null);
        }
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends raw bytes on a fresh socket and returns everything the server sends until it closes. */
    static String rawExchange(FakeLlmServer server, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    static String chat(String userMessage, boolean stream) {
        return "{\"model\":\"gpt-test\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":\"" + userMessage + "\"}]}";
    }

    static String anthropic(String userMessage, boolean stream) {
        return "{\"model\":\"claude-test\",\"max_tokens\":100,\"stream\":" + stream
                + ",\"system\":\"be brief\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\""
                + userMessage + "\"}]}]}";
    }
}
