package dev.switchboard.runtime.telemetry;

import dev.switchboard.spi.http.HttpCall;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.HttpTransport;
import dev.switchboard.spi.http.SseListener;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * An {@link HttpTransport} that adds the trace context of {@link Context#current()} (W3C
 * {@code traceparent}/{@code tracestate} with the default propagator) to every request's headers before
 * handing it to the transport it wraps. The engine makes each attempt's span current around the provider
 * call, and providers send their request on that thread, so the provider's server sees the attempt as its
 * parent. A request that already carries one of the propagator's headers, or a context with nothing to
 * propagate, passes through unchanged. Only GET and POST requests can be rebuilt with extra headers
 * (the SPI's {@code HttpCall} builder offers no other methods); others pass through. Thread-safe.
 */
public final class TracePropagatingTransport implements HttpTransport {
    private static final TextMapSetter<Map<String, String>> SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.put(key, value);
        }
    };

    private final HttpTransport delegate;
    private final TextMapPropagator propagator;

    /** Wraps {@code delegate}, injecting with {@code propagator}. */
    public TracePropagatingTransport(HttpTransport delegate, TextMapPropagator propagator) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.propagator = Objects.requireNonNull(propagator, "propagator");
    }

    /** A decorator for {@code ProviderRegistry.create} wrapping each transport with {@code propagator}. */
    public static UnaryOperator<HttpTransport> decorator(TextMapPropagator propagator) {
        Objects.requireNonNull(propagator, "propagator");
        return t -> t instanceof TracePropagatingTransport ? t : new TracePropagatingTransport(t, propagator);
    }

    @Override
    public CompletableFuture<HttpResult> send(HttpCall call) {
        return delegate.send(inject(call));
    }

    @Override
    public CompletableFuture<HttpResult> stream(HttpCall call, SseListener listener) {
        return delegate.stream(inject(call), listener);
    }

    /** {@code call} with the current context's trace headers, or {@code call} itself when there is nothing to add. */
    HttpCall inject(HttpCall call) {
        Map<String, String> headers = new LinkedHashMap<>(4);
        propagator.inject(Context.current(), headers, SETTER);
        if (headers.isEmpty() || carriesAny(call, headers)) {
            return call;
        }
        HttpCall.Builder b;
        if ("POST".equals(call.method())) {
            b = HttpCall.post(call.uri(), call.body()).header("Content-Type", null);
        } else if ("GET".equals(call.method())) {
            b = HttpCall.get(call.uri());
        } else {
            return call;
        }
        call.headers().forEach(b::header);
        headers.forEach(b::header);
        return b.timeout(call.timeout()).build();
    }

    private static boolean carriesAny(HttpCall call, Map<String, String> injected) {
        for (String name : call.headers().keySet()) {
            for (String key : injected.keySet()) {
                if (name.equalsIgnoreCase(key)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "TracePropagating(" + delegate + ")";
    }
}
