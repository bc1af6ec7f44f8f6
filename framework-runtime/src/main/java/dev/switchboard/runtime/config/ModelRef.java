package dev.switchboard.runtime.config;

import java.util.Objects;

/**
 * A model reference {@code provider/model}: {@code provider} names an entry of the configuration's
 * {@code providers:} map, {@code model} is the provider's model name (which may itself contain
 * slashes, as in {@code openrouter/meta-llama/llama-3-70b}). Immutable.
 *
 * @param provider the provider entry's name
 * @param model    the model name at the provider
 */
public record ModelRef(String provider, String model) {

    /** Checks both parts are present. */
    public ModelRef {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
    }

    /**
     * Parses {@code provider/model}.
     *
     * @throws IllegalArgumentException when there is no slash or a part is empty
     */
    public static ModelRef parse(String ref) {
        int slash = ref == null ? -1 : ref.indexOf('/');
        if (slash <= 0 || slash == ref.length() - 1) {
            throw new IllegalArgumentException("model reference '" + ref + "' must be provider/model, for example openai/gpt-4o-mini");
        }
        return new ModelRef(ref.substring(0, slash).trim(), ref.substring(slash + 1).trim());
    }

    @Override
    public String toString() {
        return provider + "/" + model;
    }
}
