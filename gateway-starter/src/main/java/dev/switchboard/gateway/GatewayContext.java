package dev.switchboard.gateway;

import dev.switchboard.runtime.Switchboard;
import dev.switchboard.runtime.engine.Engine;
import dev.switchboard.runtime.providers.openai.OpenAiCodec;

/**
 * What every connection of one gateway shares: the engine, settings, codec, error mapping, the in-flight
 * count, telemetry and the call log, and the draining flag. Thread-safe.
 */
final class GatewayContext {
    private final Switchboard switchboard;
    private final GatewaySettings settings;
    private final ErrorMapper errors;
    private final InFlight inFlight = new InFlight();
    private final GatewayObservability observability;
    private volatile boolean draining;

    GatewayContext(Switchboard switchboard, GatewaySettings settings, GatewayObservability observability) {
        this.switchboard = switchboard;
        this.settings = settings;
        this.observability = observability;
        this.errors = new ErrorMapper(Redactor.following(switchboard::config));
    }

    /** Telemetry, metrics and the call log. */
    GatewayObservability observability() {
        return observability;
    }

    Switchboard switchboard() {
        return switchboard;
    }

    Engine engine() {
        return switchboard.engine();
    }

    GatewaySettings settings() {
        return settings;
    }

    OpenAiCodec codec() {
        return OpenAiCodec.shared();
    }

    ErrorMapper errors() {
        return errors;
    }

    InFlight inFlight() {
        return inFlight;
    }

    /** Whether a graceful close has begun: responses close their connections, readiness fails. */
    boolean draining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }
}
