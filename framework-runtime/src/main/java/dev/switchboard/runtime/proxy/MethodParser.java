package dev.switchboard.runtime.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.Context;
import dev.switchboard.api.DefinitionException;
import dev.switchboard.api.Deployment;
import dev.switchboard.api.Fallback;
import dev.switchboard.api.Model;
import dev.switchboard.api.Param;
import dev.switchboard.api.Retry;
import dev.switchboard.api.SystemMessage;
import dev.switchboard.api.Timeout;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import dev.switchboard.runtime.config.MessageTemplate;
import dev.switchboard.runtime.config.ModelRef;
import dev.switchboard.runtime.config.RetrySpec;
import dev.switchboard.runtime.config.VariantConfig;
import dev.switchboard.spi.Role;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a method's annotations into a {@link MethodDescriptor}, failing with a
 * {@link DefinitionException} that names interface, method and problem. Stateless.
 */
final class MethodParser {
    private final ObjectMapper mapper;

    MethodParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    MethodDescriptor parse(Class<?> type, Method m) {
        String where = type.getSimpleName() + "." + m.getName();
        if (m.getTypeParameters().length > 0) {
            throw fail(where, "generic methods are not supported");
        }
        Deployment typeDeployment = type.getAnnotation(Deployment.class);
        String group = typeDeployment != null ? typeDeployment.value() : type.getSimpleName();
        Deployment methodDeployment = m.getAnnotation(Deployment.class);
        String key = methodDeployment != null ? methodDeployment.value() : group + "." + m.getName();
        checkKey(where, key);

        List<String> varNames = new ArrayList<>();
        List<Integer> varPositions = new ArrayList<>();
        List<String> contextNames = new ArrayList<>();
        List<Integer> contextPositions = new ArrayList<>();
        UserMessage user = m.getAnnotation(UserMessage.class);
        int input = -1;
        Parameter[] params = m.getParameters();
        for (int i = 0; i < params.length; i++) {
            Var var = params[i].getAnnotation(Var.class);
            Context ctx = params[i].getAnnotation(Context.class);
            if (var != null && ctx != null) {
                throw fail(where, "parameter " + i + " has both @Var and @Context");
            }
            if (var != null) {
                if (varNames.contains(var.value())) {
                    throw fail(where, "@Var(\"" + var.value() + "\") is declared twice");
                }
                varNames.add(var.value());
                varPositions.add(i);
            } else if (ctx != null) {
                contextNames.add(ctx.value());
                contextPositions.add(i);
            } else if (user == null && input < 0) {
                input = i;
            } else {
                throw fail(where, "parameter " + i + " (" + params[i].getType().getSimpleName() + ") needs @Var or @Context"
                        + (user == null ? " (only one plain parameter can be the user message)" : ""));
            }
        }

        List<MessageTemplate> messages = new ArrayList<>();
        SystemMessage system = m.isAnnotationPresent(SystemMessage.class) ? m.getAnnotation(SystemMessage.class) : type.getAnnotation(SystemMessage.class);
        if (system != null) {
            messages.add(template(where, "@SystemMessage", Role.SYSTEM, String.join("\n", system.value())));
        }
        if (user != null) {
            messages.add(template(where, "@UserMessage", Role.USER, String.join("\n", user.value())));
        }
        Set<String> available = new LinkedHashSet<>(varNames);
        for (MessageTemplate t : messages) {
            for (String v : t.template().variables()) {
                if (!available.contains(v)) {
                    throw fail(where, "{{" + v + "}} in the " + t.role().wireName() + " message has no @Var(\"" + v + "\") parameter (parameters: "
                            + varNames + ")");
                }
            }
        }

        ReturnAdapter adapter;
        try {
            adapter = ReturnAdapter.forReturnType(m.getGenericReturnType(), mapper, where);
        } catch (IllegalArgumentException e) {
            throw fail(where, "unsupported return type " + m.getGenericReturnType().getTypeName() + ": " + e.getMessage());
        }
        VariantConfig defaults = new VariantConfig("default", model(where, m, type), messages.isEmpty() ? null : messages,
                parameters(where, type, m), retry(where, m, type), fallbacks(where, m, type), timeout(where, m, type));
        return new MethodDescriptor(where, key, group, defaults, varNames.toArray(new String[0]),
                varPositions.stream().mapToInt(Integer::intValue).toArray(), contextNames.toArray(new String[0]),
                contextPositions.stream().mapToInt(Integer::intValue).toArray(), input, adapter);
    }

    private static MessageTemplate template(String where, String annotation, Role role, String text) {
        try {
            return MessageTemplate.of(role, text);
        } catch (IllegalArgumentException e) {
            throw fail(where, annotation + ": " + e.getMessage());
        }
    }

    private static ModelRef model(String where, Method m, Class<?> type) {
        Model model = m.isAnnotationPresent(Model.class) ? m.getAnnotation(Model.class) : type.getAnnotation(Model.class);
        return model == null ? null : ref(where, "@Model", model.value());
    }

    private static ModelRef ref(String where, String what, String value) {
        try {
            return ModelRef.parse(value);
        } catch (IllegalArgumentException e) {
            throw fail(where, what + ": " + e.getMessage());
        }
    }

    private static RetrySpec retry(String where, Method m, Class<?> type) {
        Retry r = m.isAnnotationPresent(Retry.class) ? m.getAnnotation(Retry.class) : type.getAnnotation(Retry.class);
        if (r == null) {
            return null;
        }
        try {
            Set<Integer> codes = new LinkedHashSet<>();
            Arrays.stream(r.onCodes()).forEach(codes::add);
            return new RetrySpec(r.count(), codes, Duration.ofMillis(r.backoffMillis()), Duration.ofMillis(r.maxBackoffMillis()), true);
        } catch (IllegalArgumentException e) {
            throw fail(where, "@Retry: " + e.getMessage());
        }
    }

    private static List<ModelRef> fallbacks(String where, Method m, Class<?> type) {
        Fallback f = m.isAnnotationPresent(Fallback.class) ? m.getAnnotation(Fallback.class) : type.getAnnotation(Fallback.class);
        if (f == null) {
            return null;
        }
        List<ModelRef> out = new ArrayList<>();
        for (String s : f.value()) {
            out.add(ref(where, "@Fallback", s));
        }
        return out;
    }

    private static Duration timeout(String where, Method m, Class<?> type) {
        Timeout t = m.isAnnotationPresent(Timeout.class) ? m.getAnnotation(Timeout.class) : type.getAnnotation(Timeout.class);
        if (t == null) {
            return null;
        }
        Duration d = t.millis() > 0 ? Duration.ofMillis(t.millis()) : Duration.ofSeconds(t.seconds());
        if (d.isZero() || d.isNegative()) {
            throw fail(where, "@Timeout must be positive");
        }
        return d;
    }

    private Map<String, Object> parameters(String where, Class<?> type, Method m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Param p : type.getAnnotationsByType(Param.class)) {
            out.put(p.name(), paramValue(p.value()));
        }
        for (Param p : m.getAnnotationsByType(Param.class)) {
            out.put(p.name(), paramValue(p.value()));
        }
        try {
            dev.switchboard.spi.ChatRequest.builder("check").message(dev.switchboard.spi.ChatMessage.user("check")).parameters(out).build();
        } catch (IllegalArgumentException e) {
            throw fail(where, "@Param: " + e.getMessage());
        }
        return out;
    }

    private Object paramValue(String v) {
        try {
            return mapper.readValue(v, Object.class);
        } catch (java.io.IOException notJson) {
            return v;
        }
    }

    private static void checkKey(String where, String key) {
        if (!key.matches("[A-Za-z0-9_.\\-]+")) {
            throw fail(where, "deployment key '" + key + "' may only contain letters, digits, _ . -");
        }
    }

    static DefinitionException fail(String where, String problem) {
        return new DefinitionException(where + ": " + problem);
    }
}
