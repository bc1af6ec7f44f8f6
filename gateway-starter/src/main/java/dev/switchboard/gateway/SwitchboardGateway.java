package dev.switchboard.gateway;

import dev.switchboard.api.ConfigException;
import dev.switchboard.gateway.transport.NettyHttpTransport;
import dev.switchboard.gateway.transport.NettyIo;
import dev.switchboard.runtime.Switchboard;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Switchboard AI gateway, in-process: the engine behind an OpenAI-compatible HTTP server.
 *
 * <pre>{@code
 * try (SwitchboardGateway gw = SwitchboardGateway.start(GatewayOptions.builder()
 *         .config(Path.of("switchboard.yaml")).port(0).build())) {
 *     OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl() + "/v1").apiKey("…").build();
 *     …
 * }
 * }</pre>
 *
 * <p>Endpoints: {@code POST /v1/chat/completions} (SSE with {@code "stream": true}),
 * {@code POST /v1/embeddings}, {@code GET /v1/models}, {@code POST /v2/deployments/invoke},
 * {@code POST /v2/deployments/get_config}, {@code GET /health}. With no {@code gateway.keys} configured the
 * gateway needs no API key and refuses to listen on anything but a loopback address.
 *
 * <p>Thread-safe. {@link #close()} is graceful: it stops accepting connections, lets calls and streams
 * in flight finish for up to {@code gateway.drain_timeout} (20 s by default), then closes every
 * connection and, when the gateway created it, the {@link Switchboard}.
 *
 * <p>Threads: a few Netty event loops serve client connections and, through a {@link NettyHttpTransport}, the
 * requests to providers of a {@link Switchboard} the gateway builds (a shared one keeps its own transports), so a
 * proxied call runs on one thread from request to response and holds none while the provider answers.
 */
public final class SwitchboardGateway implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SwitchboardGateway.class);
    private final GatewayServer server;
    private final EventLoopGroup workers;
    private final NettyHttpTransport transport;
    private final GatewayContext context;
    private final boolean ownsSwitchboard;
    private final String host;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private SwitchboardGateway(GatewayServer server, EventLoopGroup workers, NettyHttpTransport transport, GatewayContext context,
                               boolean ownsSwitchboard, String host) {
        this.server = server;
        this.workers = workers;
        this.transport = transport;
        this.context = context;
        this.ownsSwitchboard = ownsSwitchboard;
        this.host = host;
    }

    /**
     * Loads the configuration, binds and starts serving.
     *
     * @throws ConfigException       when the configuration is invalid, or no API key is configured and the
     *                               host is not a loopback address
     * @throws IllegalStateException when the address cannot be bound
     */
    public static SwitchboardGateway start(GatewayOptions options) {
        NettyIo io = NettyIo.fromSystemProperty(); // first: a bad value creates nothing that would need closing
        GatewayObservability observability = GatewayObservability.create(options);
        // Client connections and provider requests share the event loops: a proxied call never changes threads.
        EventLoopGroup workers = GatewayServer.newWorkers(io);
        NettyHttpTransport transport = NettyHttpTransport.builder(workers).io(io).build();
        Switchboard sb;
        try {
            sb = options.switchboard(transport::withConnectTimeout, b -> observability.attach(b).delayedWork(transport.delayedWork()));
        } catch (RuntimeException e) {
            observability.abandon();
            observability.close();
            transport.close();
            GatewayServer.shutdown(workers);
            throw e;
        }
        try {
            GatewaySettings settings = GatewaySettings.from(sb.config());
            String host = options.host() != null ? options.host() : settings.host() != null ? settings.host() : "127.0.0.1";
            int port = options.port() != null ? options.port() : settings.port() != null ? settings.port() : 8080;
            if (settings.keys().isEmpty() && !isLoopback(host)) {
                throw new ConfigException(String.join(" + ", sb.config().sources()), "gateway.keys",
                        "no client API keys are configured, so the gateway listens on loopback addresses only; refusing host '"
                                + host + "' (add gateway.keys: [\"sha256:…\"], printed by --hash-key <key>)");
            }
            GatewayContext context = new GatewayContext(sb, settings, observability);
            observability.started(context);
            GatewayServer server = GatewayServer.start(context, io, workers, host, port);
            if (settings.keys().isEmpty()) {
                LOG.warn("no gateway.keys configured: clients need no API key, so the gateway listens on loopback ({}) only", host);
            }
            LOG.info("gateway listening on http://{}:{} ({} I/O; configuration {} from {})", host, server.port(), io.name().toLowerCase(java.util.Locale.ROOT), sb.config().version(),
                    String.join(" + ", sb.config().sources()));
            return new SwitchboardGateway(server, workers, transport, context, options.ownsSwitchboard(), host);
        } catch (RuntimeException e) {
            if (options.ownsSwitchboard()) {
                sb.close();
            }
            observability.close();
            transport.close();
            GatewayServer.shutdown(workers);
            throw e;
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    /** The bind address. */
    public String host() {
        return host;
    }

    /** {@code http://host:port}, without a trailing slash; OpenAI clients take {@code baseUrl() + "/v1"}. */
    public String baseUrl() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port();
    }

    /** The {@link Switchboard} served. */
    public Switchboard switchboard() {
        return context.switchboard();
    }

    /** What the gateway's connections share (tests). */
    GatewayContext context() {
        return context;
    }

    /** Closes gracefully with the configured {@code gateway.drain_timeout}. Idempotent. */
    @Override
    public void close() {
        close(context.settings().drainTimeout());
    }

    /** Closes gracefully, letting requests in flight finish for up to {@code drainTimeout}. Idempotent. */
    public void close(Duration drainTimeout) {
        if (!closing.compareAndSet(false, true)) {
            awaitTermination();
            return;
        }
        try {
            LOG.info("gateway closing: draining {} request(s) in flight (up to {} ms)", context.inFlight().count(), drainTimeout.toMillis());
            server.close(drainTimeout);
            try {
                if (ownsSwitchboard) {
                    context.switchboard().close();
                }
            } finally {
                context.observability().close();
                transport.close();
                GatewayServer.shutdown(workers);
            }
            LOG.info("gateway closed");
        } finally {
            closed.countDown();
        }
    }

    /** Blocks until {@link #close} has finished. */
    public void awaitTermination() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
