package dev.switchboard.runtime.proxy;

import dev.switchboard.runtime.config.VariantConfig;
import dev.switchboard.runtime.engine.Engine;
import dev.switchboard.runtime.engine.Invocation;
import dev.switchboard.runtime.engine.ResolutionCache;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ResponseFormat;
import java.util.List;
import java.util.Map;
import net.bytebuddy.implementation.bind.annotation.AllArguments;
import net.bytebuddy.implementation.bind.annotation.RuntimeType;

/**
 * The implementation of one method of a prompt interface, parsed and validated once: turns the
 * arguments into an {@link Invocation} and the engine's result into the return value. Generated
 * classes delegate to it. Immutable and thread-safe. Public only so generated classes can call it.
 */
public final class MethodHandler {
    private final Engine engine;
    private final String deployment;
    private final String group;
    private final VariantConfig defaults;
    private final String[] varNames;
    private final int[] varPositions;
    private final String[] contextNames;
    private final int[] contextPositions;
    private final int inputPosition;
    private final ReturnAdapter adapter;
    private final ResponseFormat responseFormat;
    private final ResolutionCache cache = new ResolutionCache();

    MethodHandler(Engine engine, MethodDescriptor d) {
        this.engine = engine;
        this.deployment = d.deployment();
        this.group = d.group();
        this.defaults = d.defaults();
        this.varNames = d.varNames();
        this.varPositions = d.varPositions();
        this.contextNames = d.contextNames();
        this.contextPositions = d.contextPositions();
        this.inputPosition = d.inputPosition();
        this.adapter = d.adapter();
        this.responseFormat = d.adapter().responseFormat();
    }

    /** Runs the method. */
    @RuntimeType
    public Object invoke(@AllArguments Object[] args) {
        Invocation.Builder b = Invocation.builder(deployment).group(group).defaults(defaults).cache(cache)
                .variables(new ArgumentMap(varNames, varPositions, args))
                .responseFormat(responseFormat);
        if (contextNames.length > 0) {
            b.context(context(args));
        }
        if (inputPosition >= 0) {
            Object input = args[inputPosition];
            if (input == null) {
                throw new dev.switchboard.api.InvalidRequestException("input", deployment + ": the user message argument must not be null");
            }
            b.messages(List.of(ChatMessage.user(input.toString())));
        }
        return adapter.invoke(engine, b.build());
    }

    private Map<String, String> context(Object[] args) {
        java.util.HashMap<String, String> ctx = new java.util.HashMap<>(contextNames.length * 2);
        for (int i = 0; i < contextNames.length; i++) {
            Object v = args[contextPositions[i]];
            if (v != null) {
                ctx.put(contextNames[i], v.toString());
            }
        }
        return ctx;
    }
}
