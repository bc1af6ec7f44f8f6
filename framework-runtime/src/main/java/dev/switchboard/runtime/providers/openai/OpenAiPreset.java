package dev.switchboard.runtime.providers.openai;

import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ToolChoice;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What distinguishes one OpenAI-compatible vendor from another: its default base URL, whether it needs a
 * key, what it cannot do, and the few parameters it names differently. Immutable and thread-safe. A
 * plugin serves another compatible vendor with {@code new OpenAiFamilyFactory(new OpenAiPreset(...))}.
 *
 * @param type                  the provider type in configuration, for example {@code groq}
 * @param defaultBaseUrl        used when the entry has no {@code base_url}; null makes {@code base_url} required
 * @param keyRequired           whether an empty {@code api_key} is a configuration error
 * @param capabilities          checked before any network I/O
 * @param unsupportedParameters request fields refused before any network I/O: names of
 *                              {@link ChatRequest#extra()} parameters, {@code tool_choice} (refuses any choice
 *                              but {@code auto}) and {@code messages[].name} (refuses participant names)
 * @param renamedParameters     top-level request fields sent under another name, for example
 *                              {@code seed -> random_seed}
 * @param streamUsageOption     whether the endpoint accepts {@code stream_options.include_usage} (then
 *                              streams always ask for usage)
 */
public record OpenAiPreset(String type, String defaultBaseUrl, boolean keyRequired, Capabilities capabilities,
                           Set<String> unsupportedParameters, Map<String, String> renamedParameters,
                           boolean streamUsageOption) {

    /** OpenAI itself (https://platform.openai.com/docs/api-reference/chat). */
    public static final OpenAiPreset OPENAI = new OpenAiPreset("openai", "https://api.openai.com/v1", true,
            Capabilities.ALL, Set.of(), Map.of(), true);

    /**
     * Groq (console.groq.com/docs/openai): {@code n} must be 1; {@code logprobs}, {@code top_logprobs},
     * {@code logit_bias} and {@code messages[].name} answer 400; no embeddings endpoint.
     */
    public static final OpenAiPreset GROQ = new OpenAiPreset("groq", "https://api.groq.com/openai/v1", true,
            new Capabilities(true, true, true, true, true, false, true, false),
            Set.of("logprobs", "top_logprobs", "logit_bias", "messages[].name"), Map.of(), true);

    /**
     * Mistral (docs.mistral.ai/api): the seed is {@code random_seed}; streams report usage without
     * {@code stream_options}, which its strict request validation does not accept.
     */
    public static final OpenAiPreset MISTRAL = new OpenAiPreset("mistral", "https://api.mistral.ai/v1", true,
            Capabilities.ALL, Set.of(), Map.of("seed", "random_seed"), false);

    /** Together AI (docs.together.ai/docs/inference/openai-compatibility): chat, vision, tools, structured outputs, embeddings. */
    public static final OpenAiPreset TOGETHER = new OpenAiPreset("together", "https://api.together.ai/v1", true,
            Capabilities.ALL, Set.of(), Map.of(), true);

    /**
     * DeepSeek (api-docs.deepseek.com): text-only models; {@code response_format} is {@code text} or
     * {@code json_object}; no {@code n}, no {@code seed}, no embeddings endpoint.
     */
    public static final OpenAiPreset DEEPSEEK = new OpenAiPreset("deepseek", "https://api.deepseek.com", true,
            new Capabilities(true, true, false, true, false, false, false, false), Set.of(), Map.of(), true);

    /** OpenRouter (openrouter.ai/docs/api-reference): one answer per request ({@code n} is not a parameter). */
    public static final OpenAiPreset OPENROUTER = new OpenAiPreset("openrouter", "https://openrouter.ai/api/v1", true,
            new Capabilities(true, true, true, true, true, false, true, true), Set.of(), Map.of(), true);

    /**
     * Ollama (docs.ollama.com/api/openai-compatibility): no key; {@code n}, {@code tool_choice} and
     * {@code logit_bias} are not supported.
     */
    public static final OpenAiPreset OLLAMA = new OpenAiPreset("ollama", "http://localhost:11434/v1", false,
            new Capabilities(true, true, true, true, true, false, true, true), Set.of("tool_choice", "logit_bias"),
            Map.of(), true);

    /** vLLM's OpenAI-compatible server: {@code base_url} required, key optional ({@code --api-key}). */
    public static final OpenAiPreset VLLM = new OpenAiPreset("vllm", null, false, Capabilities.ALL, Set.of(), Map.of(),
            true);

    /** Checks fields and copies collections. */
    public OpenAiPreset {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(capabilities, "capabilities");
        unsupportedParameters = Set.copyOf(unsupportedParameters);
        renamedParameters = Map.copyOf(renamedParameters);
    }

    /**
     * Checks a request against the capabilities and unsupported parameters.
     *
     * @throws ProviderException of kind {@code UNSUPPORTED} naming the first unsupported feature
     */
    public void check(String provider, ChatRequest request, boolean stream) {
        capabilities.check(provider, request, stream);
        for (String name : request.extra().keySet()) {
            if (unsupportedParameters.contains(name)) {
                throw ProviderException.unsupported(provider, request.model(), "parameter '" + name + "'");
            }
        }
        ToolChoice choice = request.toolChoice();
        if (choice != null && choice.mode() != ToolChoice.Mode.AUTO && unsupportedParameters.contains("tool_choice")) {
            throw ProviderException.unsupported(provider, request.model(), "tool_choice " + choice.mode().name().toLowerCase(Locale.ROOT));
        }
        if (unsupportedParameters.contains("messages[].name")
                && request.messages().stream().map(ChatMessage::name).anyMatch(Objects::nonNull)) {
            throw ProviderException.unsupported(provider, request.model(), "messages[].name");
        }
    }
}
