package dev.switchboard.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process fake LLM HTTP/1.1 server on a loopback port that speaks OpenAI Chat Completions, OpenAI
 * embeddings and Anthropic Messages, answers from a script, injects network faults, and records requests.
 *
 * <pre>{@code
 * try (FakeLlmServer server = FakeLlmServer.start()) {
 *     server.enqueue(Reply.status(429).retryAfterSeconds(1))
 *           .enqueue(Reply.text("hello world"));
 *     // point the client under test at server.baseUrl()  ->  "http://127.0.0.1:PORT/v1"
 *     RecordedRequest first = server.takeRequest(Duration.ofSeconds(1));
 *     assertThat(first.json().path("model").asText()).isEqualTo("gpt-4o-mini");
 * }
 * }</pre>
 *
 * <p><b>Choosing an answer.</b> Each request takes, in order: the next entry of its {@linkplain #forPath path
 * script}, else the next entry of the server script ({@link #enqueue}), else a {@linkplain #randomFaults random
 * fault} if one fires, else the path script's default, else the {@linkplain #raw raw route} for method and
 * path, else the server default ({@link #setDefault}, initially {@link Reply#echo()}).
 *
 * <p><b>Endpoints.</b> {@code POST /v1/chat/completions}, {@code /v1/embeddings} and {@code /v1/messages},
 * each also without {@code /v1}. Malformed HTTP gets 400/413/431/501/505 and is not recorded.
 *
 * <p><b>Threads.</b> One daemon accept thread and one daemon thread per connection (cached pool); nothing is
 * static. All methods are thread-safe and may be called while requests are being served.
 */
public final class FakeLlmServer implements AutoCloseable {

    private final ServerContext ctx;
    private final Listener listener;

    private FakeLlmServer(ServerConfig config) throws IOException {
        this.ctx = new ServerContext(config, new ScriptBook(), new RequestLog(), new ConnectionStats(),
                new RequestParser(config.maxRequestBodyBytes()), new AtomicLong(), new AtomicBoolean());
        this.listener = new Listener(ctx);
    }

    /** @return a started server with {@link ServerConfig#defaults()}: 127.0.0.1, ephemeral port */
    public static FakeLlmServer start() {
        return start(ServerConfig.defaults());
    }

    /**
     * @param config start-up settings
     * @return a started server
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static FakeLlmServer start(ServerConfig config) {
        try {
            return new FakeLlmServer(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind fake LLM server on 127.0.0.1:" + config.port(), e);
        }
    }

    /** @return the bound port */
    public int port() {
        return listener.port();
    }

    /** @return the OpenAI-style base URL {@code http://127.0.0.1:PORT/v1} (no trailing slash) */
    public String baseUrl() {
        return rootUrl() + "/v1";
    }

    /** @return {@code http://127.0.0.1:PORT}, e.g. the Anthropic SDK base URL (no trailing slash) */
    public String rootUrl() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * @param path an absolute path such as {@code /v1/messages}
     * @return the full URI of that path on this server
     */
    public URI url(String path) {
        return URI.create(rootUrl() + (path.startsWith("/") ? path : "/" + path));
    }

    /**
     * Appends behaviours to the server script (answers any path).
     *
     * @param behaviors replies, faults or raw responses, in answer order
     * @return this server, for chaining
     */
    public FakeLlmServer enqueue(Behavior... behaviors) {
        ctx.book().global().enqueue(behaviors);
        return this;
    }

    /**
     * @param behavior what answers when no script entry, random fault, path default or raw route applies;
     *                 {@code null} restores {@link Reply#echo()}
     * @return this server, for chaining
     */
    public FakeLlmServer setDefault(Behavior behavior) {
        ctx.book().global().setDefault(behavior);
        return this;
    }

    /** @return the server script (the one {@link #enqueue} appends to) */
    public Script script() {
        return ctx.book().global();
    }

    /**
     * @param path an exact request path without query, e.g. {@code /v1/messages}
     * @return the script consulted first for requests to that path (created on first use)
     */
    public Script forPath(String path) {
        return ctx.book().forPath(path);
    }

    /**
     * Makes every request that finds no scripted entry fail with the given probability, picking uniformly
     * among the faults, from an RNG with the given seed: with requests sent one after another the outcome
     * sequence is reproducible. Replaces earlier random-fault settings.
     *
     * @param probability chance per request, 0..1
     * @param seed        RNG seed
     * @param faults      candidates: {@link Fault}s, error {@link Reply}s or {@link RawResponse}s
     * @return this server, for chaining
     */
    public FakeLlmServer randomFaults(double probability, long seed, Behavior... faults) {
        ctx.book().randomFaults(probability, seed, faults);
        return this;
    }

    /** @return this server, with random faults switched off */
    public FakeLlmServer clearRandomFaults() {
        ctx.book().clearRandomFaults();
        return this;
    }

    /**
     * Serves a fixture for {@code method path} whenever no script entry applies (any path, any vendor).
     *
     * @param method   HTTP method, any case
     * @param path     exact path without query
     * @param response the fixture
     * @return this server, for chaining
     */
    public FakeLlmServer raw(String method, String path, RawResponse response) {
        ctx.book().raw(method, path, response);
        return this;
    }

    /** @return an immutable snapshot of all requests received since start or {@link #reset()} */
    public List<RecordedRequest> requests() {
        return ctx.log().snapshot();
    }

    /** @return how many requests were received since start or {@link #reset()} */
    public int requestCount() {
        return ctx.log().count();
    }

    /**
     * Takes the oldest request not taken yet, waiting for one to arrive.
     *
     * @param timeout how long to wait
     * @return the request, or {@code null} if none arrived in time
     */
    public RecordedRequest takeRequest(Duration timeout) {
        return ctx.log().take(timeout);
    }

    /** @return connections currently open */
    public int openConnections() {
        return ctx.stats().open();
    }

    /** @return connections accepted since start */
    public long totalConnections() {
        return ctx.stats().accepted();
    }

    /** @return connections the client closed or reset (idle or not) since start or {@link #reset()} */
    public int clientDisconnects() {
        return ctx.stats().disconnects();
    }

    /**
     * @return connections the client closed while the server was still answering (during latency, a stream,
     *         a chunk delay or a stall) since start or {@link #reset()}: proof that a client cancelled
     */
    public int clientAborts() {
        return ctx.stats().aborts();
    }

    /**
     * @param timeout how long to wait
     * @return whether {@link #clientDisconnects()} reached at least 1 in time
     */
    public boolean awaitClientDisconnect(Duration timeout) {
        return ctx.stats().awaitDisconnects(1, timeout);
    }

    /**
     * @param timeout how long to wait
     * @return whether {@link #clientAborts()} reached at least 1 in time
     */
    public boolean awaitClientAbort(Duration timeout) {
        return ctx.stats().awaitAborts(1, timeout);
    }

    /**
     * @param atMost  the connection count to wait for
     * @param timeout how long to wait
     * @return whether {@link #openConnections()} dropped to {@code atMost} or below in time
     */
    public boolean awaitOpenConnectionsAtMost(int atMost, Duration timeout) {
        return ctx.stats().awaitOpenAtMost(atMost, timeout);
    }

    /**
     * Clears scripts, defaults, raw routes, random faults, recorded requests and the disconnect/abort
     * counters. Open connections stay open.
     */
    public void reset() {
        ctx.book().reset();
        ctx.log().clear();
        ctx.stats().resetCounters();
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return ctx.isClosing();
    }

    /**
     * Stops listening and closes every open connection, stalled ones included; waits up to 2 seconds for the
     * handler threads to end. Idempotent.
     */
    @Override
    public void close() {
        listener.close();
    }

    @Override
    public String toString() {
        return "FakeLlmServer{" + rootUrl() + (isClosed() ? ", closed" : "") + '}';
    }
}
