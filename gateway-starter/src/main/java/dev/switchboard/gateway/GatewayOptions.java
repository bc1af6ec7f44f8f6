package dev.switchboard.gateway;

import dev.switchboard.runtime.Switchboard;
import dev.switchboard.spi.http.HttpTransport;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * How to start a {@link SwitchboardGateway}: where its configuration comes from and where it listens.
 * Immutable; built with {@link #builder()}.
 *
 * <pre>{@code
 * GatewayOptions o = GatewayOptions.builder().config(Path.of("switchboard.yaml")).port(0).build();
 * GatewayOptions embedded = GatewayOptions.builder().switchboard(Switchboard.builder().configYaml(yaml)).build();
 * }</pre>
 *
 * <p>Configuration: a file ({@link Builder#config}), a {@link Switchboard.Builder} (the gateway builds and
 * owns the instance), or an existing {@link Switchboard} (shared: the gateway does not close it). With
 * none of them the embedded default {@value #DEFAULT_RESOURCE} is used: a {@code mock} provider and a
 * {@code hello} deployment, so the gateway answers offline at once. Host and port given here win over
 * {@code gateway.host} and {@code gateway.port}; the defaults are {@code 127.0.0.1} and {@code 8080}.
 */
public final class GatewayOptions {
    /** The classpath resource used when no configuration is given. */
    public static final String DEFAULT_RESOURCE = "switchboard-default.yaml";
    private final Path config;
    private final Switchboard.Builder builder;
    private final Switchboard shared;
    private final Integer port;
    private final String host;
    private final OpenTelemetry openTelemetry;

    private GatewayOptions(Builder b) {
        this.config = b.config;
        this.builder = b.builder;
        this.shared = b.shared;
        this.port = b.port;
        this.host = b.host;
        this.openTelemetry = b.openTelemetry;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The configuration file, or null. */
    public Path config() {
        return config;
    }

    /** The port asked for (0 for an ephemeral one), or null to use {@code gateway.port} or 8080. */
    public Integer port() {
        return port;
    }

    /** The bind address asked for, or null to use {@code gateway.host} or 127.0.0.1. */
    public String host() {
        return host;
    }

    /** Whether the embedded default configuration will be used. */
    public boolean usesEmbeddedDefault() {
        return config == null && builder == null && shared == null;
    }

    /** Whether the gateway creates (and so closes) its {@link Switchboard}. */
    boolean ownsSwitchboard() {
        return shared == null;
    }

    /**
     * The {@link Switchboard} to serve: built from the options with providers' HTTP going through
     * {@code transports} (the gateway's own transport), or the shared one (which keeps its own transports).
     */
    Switchboard switchboard(Function<Duration, HttpTransport> transports) {
        return switchboard(transports, UnaryOperator.identity());
    }

    /** As {@link #switchboard(Function)}, with {@code attach} applied to the builder first (telemetry, call log). */
    Switchboard switchboard(Function<Duration, HttpTransport> transports, UnaryOperator<Switchboard.Builder> attach) {
        if (shared != null) {
            return shared;
        }
        if (builder != null) {
            return GatewayDeploymentStore.build(attach.apply(builder.httpTransport(transports)));
        }
        if (config != null) {
            return GatewayDeploymentStore.build(attach.apply(Switchboard.builder().config(config).watchConfig(true).httpTransport(transports)));
        }
        return attach.apply(Switchboard.builder().classpathConfig(DEFAULT_RESOURCE).httpTransport(transports)).build();
    }

    /** The OpenTelemetry instance given with {@link Builder#openTelemetry}, or null (the gateway then configures its own). */
    OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /** Builds {@link GatewayOptions}. Not thread-safe. */
    public static final class Builder {
        private Path config;
        private Switchboard.Builder builder;
        private Switchboard shared;
        private Integer port;
        private String host;
        private OpenTelemetry openTelemetry;

        private Builder() {
        }

        /** Serves the configuration in {@code file} (YAML or JSON). */
        public Builder config(Path file) {
            config = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Serves the {@link Switchboard} this builder builds; the gateway closes it when it closes. The gateway sets
         * the builder's {@link Switchboard.Builder#httpTransport} to its own transport, on its event loops.
         */
        public Builder switchboard(Switchboard.Builder b) {
            builder = Objects.requireNonNull(b, "builder");
            return this;
        }

        /** Serves an existing {@link Switchboard}; the gateway leaves it open when it closes. */
        public Builder switchboard(Switchboard sb) {
            shared = Objects.requireNonNull(sb, "switchboard");
            return this;
        }

        /** The port, 0 for an ephemeral one. */
        public Builder port(int p) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + p);
            }
            port = p;
            return this;
        }

        /** The bind address (a loopback one unless {@code gateway.keys} is configured). */
        public Builder host(String h) {
            host = Objects.requireNonNull(h, "host");
            return this;
        }

        /**
         * Reports the engine's spans and metrics to {@code otel} (the host's; the gateway does not close it) instead
         * of an SDK configured from the {@code OTEL_*} environment variables. {@code /metrics} then shows only the
         * gateway's own metrics. Ignored for the engine of a Switchboard passed in built.
         */
        public Builder openTelemetry(OpenTelemetry otel) {
            openTelemetry = Objects.requireNonNull(otel, "otel");
            return this;
        }

        /**
         * Builds the options.
         *
         * @throws IllegalStateException when more than one configuration source was given
         */
        public GatewayOptions build() {
            int sources = (config != null ? 1 : 0) + (builder != null ? 1 : 0) + (shared != null ? 1 : 0);
            if (sources > 1) {
                throw new IllegalStateException("give one of config(Path), switchboard(Switchboard.Builder) or switchboard(Switchboard)");
            }
            return new GatewayOptions(this);
        }
    }
}
