package dev.switchboard.runtime.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.DefinitionException;
import dev.switchboard.runtime.config.DeploymentConfig;
import dev.switchboard.runtime.config.MessageTemplate;
import dev.switchboard.runtime.config.ModelRef;
import dev.switchboard.runtime.config.SwitchboardConfig;
import dev.switchboard.runtime.config.VariantConfig;
import dev.switchboard.runtime.engine.Engine;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Implements prompt interfaces: parses and validates every method against the annotations and the
 * current configuration, then generates the class. One instance is cached per interface.
 * Thread-safe.
 */
public final class InterfaceFactory {
    private final Engine engine;
    private final MethodParser parser;
    private final Map<Class<?>, Object> instances = new ConcurrentHashMap<>();

    /** A factory of implementations calling {@code engine}. */
    public InterfaceFactory(Engine engine, ObjectMapper mapper) {
        this.engine = engine;
        this.parser = new MethodParser(mapper);
    }

    /**
     * The implementation of {@code type}, created on first use.
     *
     * @throws DefinitionException naming interface, method and problem
     */
    public <T> T create(Class<T> type) {
        return type.cast(instances.computeIfAbsent(type, this::build));
    }

    private Object build(Class<?> type) {
        if (!type.isInterface()) {
            throw new DefinitionException(type.getName() + " is not an interface");
        }
        if (type.getTypeParameters().length > 0) {
            throw new DefinitionException(type.getName() + ": generic interfaces are not supported");
        }
        Map<Method, MethodHandler> handlers = new LinkedHashMap<>();
        for (Method m : type.getMethods()) {
            if (!Modifier.isAbstract(m.getModifiers()) || m.isDefault() || Modifier.isStatic(m.getModifiers()) || isObjectMethod(m)) {
                continue;
            }
            MethodDescriptor d = parser.parse(type, m);
            validate(d);
            handlers.put(m, new MethodHandler(engine, d));
        }
        return ProxyGenerator.generate(type, handlers);
    }

    private void validate(MethodDescriptor d) {
        SwitchboardConfig config = engine.config();
        Set<String> providers = engine.providers().names();
        VariantConfig defaults = d.defaults();
        checkProviders(d, providers, defaults, "annotations");
        DeploymentConfig group = config.deployments().get(d.group());
        DeploymentConfig own = config.deployments().get(d.deployment());
        List<String> vars = List.of(d.varNames());
        boolean anyMessages = defaults.messages() != null || d.inputPosition() >= 0;
        boolean anyModel = defaults.model() != null;
        for (DeploymentConfig dep : new DeploymentConfig[] {group, own}) {
            if (dep == null) {
                continue;
            }
            for (VariantConfig v : dep.variants().values()) {
                anyMessages |= v.messages() != null;
                anyModel |= v.model() != null;
                if (v.messages() != null) {
                    for (MessageTemplate t : v.messages()) {
                        for (String name : t.template().variables()) {
                            if (!vars.contains(name)) {
                                throw MethodParser.fail(d.where(), "deployment '" + dep.key() + "' variant '" + v.name() + "' uses {{" + name
                                        + "}} but the method has no @Var(\"" + name + "\") parameter (parameters: " + vars + ")");
                            }
                        }
                    }
                }
            }
        }
        if (!anyModel) {
            throw MethodParser.fail(d.where(), "no model: add @Model(\"provider/model\") or configure deployments." + d.deployment() + ".model");
        }
        if (!anyMessages) {
            throw MethodParser.fail(d.where(), "no messages: add @UserMessage, a plain parameter for the user message, or configure messages for '"
                    + d.deployment() + "'");
        }
    }

    private static void checkProviders(MethodDescriptor d, Set<String> providers, VariantConfig v, String layer) {
        if (v.model() != null) {
            checkProvider(d, providers, v.model(), "@Model");
        }
        for (ModelRef f : v.fallbacksOrEmpty()) {
            checkProvider(d, providers, f, "@Fallback");
        }
    }

    private static void checkProvider(MethodDescriptor d, Set<String> providers, ModelRef ref, String what) {
        if (!providers.contains(ref.provider())) {
            throw MethodParser.fail(d.where(), what + " '" + ref + "' names provider '" + ref.provider()
                    + "', which is not configured (providers: " + providers + ")");
        }
    }

    private static boolean isObjectMethod(Method m) {
        try {
            Object.class.getMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
