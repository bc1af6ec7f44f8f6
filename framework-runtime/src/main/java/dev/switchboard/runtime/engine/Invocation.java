package dev.switchboard.runtime.engine;

import dev.switchboard.runtime.config.VariantConfig;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ResponseFormat;
import dev.switchboard.spi.ToolChoice;
import dev.switchboard.spi.ToolDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request to the engine, from an annotated method or an HTTP call: which deployment, with which
 * template variables, routing context and extra messages. Immutable and thread-safe; built with
 * {@link #builder(String)}.
 *
 * <p>Configuration layers, low to high: {@link Builder#defaults} (annotations), the configuration of
 * {@link Builder#group} (an interface's shared deployment), the configuration of the deployment key,
 * then {@link Builder#overrides} (per-call policies such as a gateway request's {@code retry}).
 */
public final class Invocation {
    private final String deployment;
    private final String group;
    private final VariantConfig defaults;
    private final VariantConfig overrides;
    private final Map<String, Object> variables;
    private final Map<String, String> context;
    private final List<ChatMessage> messages;
    private final Map<String, Object> parameters;
    private final ResponseFormat responseFormat;
    private final List<ToolDefinition> tools;
    private final ToolChoice toolChoice;
    private final boolean includeUsage;
    private final Map<String, String> metadata;
    private final String callId;
    final ResolutionCache cache;

    private Invocation(Builder b) {
        this.deployment = b.deployment;
        this.group = b.group;
        this.defaults = b.defaults;
        this.overrides = b.overrides;
        this.variables = b.variables;
        this.context = b.context;
        this.messages = b.messages;
        this.parameters = b.parameters;
        this.responseFormat = b.responseFormat;
        this.tools = b.tools;
        this.toolChoice = b.toolChoice;
        this.includeUsage = b.includeUsage;
        this.metadata = b.metadata;
        this.callId = b.callId;
        this.cache = b.cache;
    }

    /** A builder for a call of deployment {@code key} (null for a direct model call through overrides). */
    public static Builder builder(String key) {
        return new Builder(key);
    }

    /** The deployment key, or null for a direct model call. */
    public String deployment() { return deployment; }
    /** The shared (interface) deployment key, or null. */
    public String group() { return group; }
    /** Annotation defaults, or null. */
    public VariantConfig defaults() { return defaults; }
    /** Per-call overrides, or null. */
    public VariantConfig overrides() { return overrides; }
    /** Template variables. */
    public Map<String, Object> variables() { return variables; }
    /** Routing context. */
    public Map<String, String> context() { return context; }
    /** Messages appended after the deployment's rendered messages. */
    public List<ChatMessage> messages() { return messages; }
    /** Per-call model parameters, applied over the variant's. */
    public Map<String, Object> parameters() { return parameters; }
    /** The answer's shape, or null for text. */
    public ResponseFormat responseFormat() { return responseFormat; }
    /** Tools offered to the model. */
    public List<ToolDefinition> tools() { return tools; }
    /** Tool choice, or null. */
    public ToolChoice toolChoice() { return toolChoice; }
    /** Whether a stream should report usage. */
    public boolean includeUsage() { return includeUsage; }
    /** Free key/values for the call log. */
    public Map<String, String> metadata() { return metadata; }
    /** The call id chosen by the caller, or null to let the engine choose one. */
    public String callId() { return callId; }

    /** Builds an {@link Invocation}. Not thread-safe. Maps and lists passed in are used as given: do not modify them afterwards. */
    public static final class Builder {
        private final String deployment;
        private String group;
        private VariantConfig defaults;
        private VariantConfig overrides;
        private Map<String, Object> variables = Map.of();
        private Map<String, String> context = Map.of();
        private List<ChatMessage> messages = List.of();
        private Map<String, Object> parameters = Map.of();
        private ResponseFormat responseFormat;
        private List<ToolDefinition> tools = List.of();
        private ToolChoice toolChoice;
        private boolean includeUsage;
        private Map<String, String> metadata = Map.of();
        private String callId;
        private ResolutionCache cache;

        private Builder(String deployment) {
            this.deployment = deployment;
        }

        /** The shared deployment whose configuration applies under this one's. */
        public Builder group(String v) { group = v; return this; }
        /** Annotation defaults. */
        public Builder defaults(VariantConfig v) { defaults = v; return this; }
        /** Per-call overrides (model, retry, fallbacks, timeout). */
        public Builder overrides(VariantConfig v) { overrides = v; return this; }
        /** Template variables. */
        public Builder variables(Map<String, Object> v) { variables = v == null ? Map.of() : v; return this; }
        /** Routing context. */
        public Builder context(Map<String, String> v) { context = v == null ? Map.of() : v; return this; }
        /** Extra messages. */
        public Builder messages(List<ChatMessage> v) { messages = v == null ? List.of() : v; return this; }
        /** Per-call parameters. */
        public Builder parameters(Map<String, Object> v) { parameters = v == null ? Map.of() : v; return this; }
        /** Response format. */
        public Builder responseFormat(ResponseFormat v) { responseFormat = v; return this; }
        /** Tools. */
        public Builder tools(List<ToolDefinition> v) { tools = v == null ? List.of() : v; return this; }
        /** Tool choice. */
        public Builder toolChoice(ToolChoice v) { toolChoice = v; return this; }
        /** Usage in streams. */
        public Builder includeUsage(boolean v) { includeUsage = v; return this; }
        /** Call-log metadata. */
        public Builder metadata(Map<String, String> v) { metadata = v == null ? Map.of() : v; return this; }
        /** Sets the call id (for hosts that must announce it before the answer, such as a streaming gateway); see {@link Engine#newCallId()}. */
        public Builder callId(String v) { callId = v; return this; }
        /** A cache slot owned by the caller (one per annotated method), so resolution is done once per config version. */
        public Builder cache(ResolutionCache v) { cache = v; return this; }

        /** Builds the invocation. */
        public Invocation build() {
            return new Invocation(this);
        }
    }

    /** Copies a map into an unmodifiable one (helper for callers building from mutable state). */
    public static <K, V> Map<K, V> frozen(Map<K, V> map) {
        return map == null || map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** Copies a list into an unmodifiable one. */
    public static <T> List<T> frozen(List<T> list) {
        return list == null || list.isEmpty() ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
