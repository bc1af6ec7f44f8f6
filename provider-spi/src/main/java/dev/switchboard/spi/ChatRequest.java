package dev.switchboard.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A normalized chat request, the same for every provider. Immutable and thread-safe; built with
 * {@link #builder(String)}, which validates parameters when {@link Builder#build()} is called.
 *
 * <pre>{@code
 * ChatRequest req = ChatRequest.builder("gpt-4o-mini")
 *     .message(ChatMessage.system("Be brief."))
 *     .message(ChatMessage.user("Hi"))
 *     .parameter("temperature", 0.2)
 *     .build();
 * }</pre>
 *
 * <p>Common parameters have typed accessors ({@link #temperature()}, {@link #maxTokens()}…); any other
 * parameter is kept in {@link #extra()} with its snake_case name and a JSON-compatible value
 * (String, Number, Boolean, List, Map) for providers that pass it through.
 */
public final class ChatRequest {
    private final String model;
    private final List<ChatMessage> messages;
    private final Double temperature;
    private final Double topP;
    private final Integer maxTokens;
    private final List<String> stop;
    private final Long seed;
    private final Integer n;
    private final List<ToolDefinition> tools;
    private final ToolChoice toolChoice;
    private final ResponseFormat responseFormat;
    private final boolean includeUsage;
    private final Map<String, Object> extra;

    private ChatRequest(Builder b) {
        this.model = b.model;
        this.messages = List.copyOf(b.messages);
        this.temperature = b.temperature;
        this.topP = b.topP;
        this.maxTokens = b.maxTokens;
        this.stop = b.stop == null ? List.of() : List.copyOf(b.stop);
        this.seed = b.seed;
        this.n = b.n;
        this.tools = b.tools == null ? List.of() : List.copyOf(b.tools);
        this.toolChoice = b.toolChoice;
        this.responseFormat = b.responseFormat == null ? ResponseFormat.TEXT : b.responseFormat;
        this.includeUsage = b.includeUsage;
        this.extra = b.extra == null || b.extra.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
    }

    /** A builder for a request to {@code model} (the provider's model name, without provider prefix). */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    /** A builder holding this request's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(model);
        b.messages.addAll(messages);
        b.temperature = temperature;
        b.topP = topP;
        b.maxTokens = maxTokens;
        b.stop = stop.isEmpty() ? null : stop;
        b.seed = seed;
        b.n = n;
        if (!tools.isEmpty()) {
            b.tools = new ArrayList<>(tools);
        }
        b.toolChoice = toolChoice;
        b.responseFormat = responseFormat;
        b.includeUsage = includeUsage;
        if (!extra.isEmpty()) {
            b.extra = new LinkedHashMap<>(extra);
        }
        return b;
    }

    /** The model name at the provider. */
    public String model() { return model; }
    /** The conversation, in order. */
    public List<ChatMessage> messages() { return messages; }
    /** Sampling temperature, or null for the provider's default. */
    public Double temperature() { return temperature; }
    /** Nucleus sampling, or null. */
    public Double topP() { return topP; }
    /** Maximum output tokens, or null for the provider's default. */
    public Integer maxTokens() { return maxTokens; }
    /** Stop sequences, possibly empty. */
    public List<String> stop() { return stop; }
    /** Sampling seed, or null. */
    public Long seed() { return seed; }
    /** Number of choices, or null for one. */
    public Integer n() { return n; }
    /** Tools the model may call, possibly empty. */
    public List<ToolDefinition> tools() { return tools; }
    /** Tool choice, or null for the provider's default. */
    public ToolChoice toolChoice() { return toolChoice; }
    /** The answer's shape; {@link ResponseFormat#TEXT} by default. */
    public ResponseFormat responseFormat() { return responseFormat; }
    /** Whether a stream should end with a usage report (providers that can, do it anyway). */
    public boolean includeUsage() { return includeUsage; }
    /** Other parameters by snake_case name, for providers that pass them through. */
    public Map<String, Object> extra() { return extra; }

    @Override
    public String toString() {
        return "ChatRequest{model=" + model + ", messages=" + messages.size() + ", tools=" + tools.size()
                + ", responseFormat=" + responseFormat.type() + ", extra=" + extra.keySet() + "}";
    }

    /** Builds a {@link ChatRequest}. Not thread-safe. */
    public static final class Builder {
        private String model;
        private final List<ChatMessage> messages = new ArrayList<>();
        private Double temperature;
        private Double topP;
        private Integer maxTokens;
        private List<String> stop;
        private Long seed;
        private Integer n;
        private List<ToolDefinition> tools;
        private ToolChoice toolChoice;
        private ResponseFormat responseFormat;
        private boolean includeUsage;
        private Map<String, Object> extra;

        private Builder(String model) {
            this.model = model;
        }

        /** Replaces the model. */
        public Builder model(String model) { this.model = model; return this; }
        /** Appends a message. */
        public Builder message(ChatMessage message) { messages.add(Objects.requireNonNull(message, "message")); return this; }
        /** Appends messages. */
        public Builder messages(List<ChatMessage> list) {
            for (int i = 0; i < list.size(); i++) {
                message(list.get(i));
            }
            return this;
        }
        /** Replaces all messages. */
        public Builder clearMessages() { messages.clear(); return this; }
        /** Sets the temperature. */
        public Builder temperature(Double v) { temperature = v; return this; }
        /** Sets top_p. */
        public Builder topP(Double v) { topP = v; return this; }
        /** Sets the maximum output tokens. */
        public Builder maxTokens(Integer v) { maxTokens = v; return this; }
        /** Sets stop sequences. */
        public Builder stop(List<String> v) { stop = v; return this; }
        /** Sets the seed. */
        public Builder seed(Long v) { seed = v; return this; }
        /** Sets the number of choices. */
        public Builder n(Integer v) { n = v; return this; }
        /** Adds a tool. */
        public Builder tool(ToolDefinition tool) {
            if (tools == null) {
                tools = new ArrayList<>();
            }
            tools.add(Objects.requireNonNull(tool, "tool"));
            return this;
        }
        /** Sets the tool choice. */
        public Builder toolChoice(ToolChoice v) { toolChoice = v; return this; }
        /** Sets the response format. */
        public Builder responseFormat(ResponseFormat v) { responseFormat = v; return this; }
        /** Asks for a usage report at the end of a stream. */
        public Builder includeUsage(boolean v) { includeUsage = v; return this; }

        /**
         * Sets a parameter by its snake_case name: {@code temperature}, {@code top_p},
         * {@code max_tokens} (or {@code max_completion_tokens}), {@code stop}, {@code seed}, {@code n}
         * go to typed fields; any other goes to {@link ChatRequest#extra()}.
         *
         * @throws IllegalArgumentException when a typed parameter has a value of the wrong type,
         *                                  naming the parameter
         */
        public Builder parameter(String name, Object value) {
            ParameterValues.apply(this, name, value);
            return this;
        }

        /** Sets every parameter of the map, see {@link #parameter(String, Object)}. */
        public Builder parameters(Map<String, ?> params) {
            if (!params.isEmpty()) {
                params.forEach(this::parameter);
            }
            return this;
        }

        Builder extra(String name, Object value) {
            if (value == null) {
                if (extra != null) {
                    extra.remove(name);
                }
            } else {
                if (extra == null) {
                    extra = new LinkedHashMap<>();
                }
                extra.put(name, value);
            }
            return this;
        }

        /**
         * Builds the request.
         *
         * @throws IllegalArgumentException when the model is missing, there is no message, or a
         *                                  value is out of range (naming it)
         */
        public ChatRequest build() {
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("model is missing");
            }
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("messages must not be empty");
            }
            if (temperature != null && (temperature.isNaN() || temperature < 0 || temperature > 2)) {
                throw new IllegalArgumentException("temperature must be between 0 and 2, was " + temperature);
            }
            if (topP != null && (topP.isNaN() || topP < 0 || topP > 1)) {
                throw new IllegalArgumentException("top_p must be between 0 and 1, was " + topP);
            }
            if (maxTokens != null && maxTokens < 1) {
                throw new IllegalArgumentException("max_tokens must be at least 1, was " + maxTokens);
            }
            if (n != null && (n < 1 || n > 128)) {
                throw new IllegalArgumentException("n must be between 1 and 128, was " + n);
            }
            return new ChatRequest(this);
        }
    }
}
