package dev.switchboard.runtime.providers.openai;

import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderFactory;
import java.util.Objects;

/**
 * Creates {@link OpenAiProvider}s for one {@link OpenAiPreset}. The nested classes are the built-in types,
 * registered with {@link java.util.ServiceLoader}: {@code openai}, {@code groq}, {@code mistral},
 * {@code together}, {@code deepseek}, {@code openrouter}, {@code ollama}, {@code vllm}.
 *
 * <pre>{@code
 * providers:
 *   groq:  { type: groq, api_key: ${GROQ_API_KEY} }
 *   local: { type: ollama }                                  # http://localhost:11434/v1, no key
 *   gpu:   { type: vllm, base_url: http://gpu-1:8000/v1 }
 * }</pre>
 *
 * <p>A plugin adds another compatible vendor by subclassing with its own preset and listing the subclass
 * in {@code META-INF/services/dev.switchboard.spi.ProviderFactory}. Immutable and thread-safe.
 */
public class OpenAiFamilyFactory implements ProviderFactory {
    private final OpenAiPreset preset;

    /** A factory for {@code preset}. */
    public OpenAiFamilyFactory(OpenAiPreset preset) {
        this.preset = Objects.requireNonNull(preset, "preset");
    }

    /** The preset this factory applies. */
    public OpenAiPreset preset() {
        return preset;
    }

    @Override
    public String type() {
        return preset.type();
    }

    @Override
    public ChatProvider create(ProviderConfig config) {
        return new OpenAiProvider(config, preset);
    }

    /** Type {@code openai}. */
    public static final class OpenAi extends OpenAiFamilyFactory {
        /** Uses {@link OpenAiPreset#OPENAI}. */
        public OpenAi() { super(OpenAiPreset.OPENAI); }
    }

    /** Type {@code groq}. */
    public static final class Groq extends OpenAiFamilyFactory {
        /** Uses {@link OpenAiPreset#GROQ}. */
        public Groq() { super(OpenAiPreset.GROQ); }
    }

    /** Type {@code mistral}. */
    public static final class Mistral extends OpenAiFamilyFactory {
        /** Uses {@link OpenAiPreset#MISTRAL}. */
        public Mistral() { super(OpenAiPreset.MISTRAL); }
    }

    /** Type {@code together}. */
    public static final class Together extends OpenAiFamilyFactory {
        /** Uses {@link OpenAiPreset#TOGETHER}. */
        public Together() { super(OpenAiPreset.TOGETHER); }
    }

    /** Type {@code deepseek}. */
    public static final class DeepSeek extends OpenAiFamilyFactory {
        /** Uses {@link OpenAiPreset#DEEPSEEK}. */
        public DeepSeek() { super(OpenAiPreset.DEEPSEEK); }
    }

    /** Type {@code openrouter}. */
    public static final class OpenRouter extends OpenAiFamilyFactory {
        /** Uses {@link OpenAiPreset#OPENROUTER}. */
        public OpenRouter() { super(OpenAiPreset.OPENROUTER); }
    }

    /** Type {@code ollama}. */
    public static final class Ollama extends OpenAiFamilyFactory {
        /** Uses {@link OpenAiPreset#OLLAMA}. */
        public Ollama() { super(OpenAiPreset.OLLAMA); }
    }

    /** Type {@code vllm}. */
    public static final class Vllm extends OpenAiFamilyFactory {
        /** Uses {@link OpenAiPreset#VLLM}. */
        public Vllm() { super(OpenAiPreset.VLLM); }
    }
}
