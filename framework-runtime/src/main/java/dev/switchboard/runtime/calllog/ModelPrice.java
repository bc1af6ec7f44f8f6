package dev.switchboard.runtime.calllog;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.api.Usage;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * The price of one model in USD per million tokens. Immutable.
 *
 * @param input       per million prompt tokens not served from cache
 * @param output      per million completion tokens
 * @param cachedInput per million prompt tokens served from the provider's cache; null to charge them as input
 */
public record ModelPrice(@JsonProperty("input") BigDecimal input, @JsonProperty("output") BigDecimal output,
                         @JsonProperty("cached_input") BigDecimal cachedInput) {
    /** Checks the prices are present and not negative. */
    public ModelPrice {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        if (input.signum() < 0 || output.signum() < 0 || (cachedInput != null && cachedInput.signum() < 0)) {
            throw new IllegalArgumentException("prices must not be negative");
        }
    }

    /** A price from decimal values; {@code cachedInput} may be null. */
    public static ModelPrice of(double input, double output, Double cachedInput) {
        return new ModelPrice(BigDecimal.valueOf(input), BigDecimal.valueOf(output),
                cachedInput == null ? null : BigDecimal.valueOf(cachedInput));
    }

    /** The cost of {@code usage} in USD (cached prompt tokens at the cached price). */
    public BigDecimal cost(Usage usage) {
        long cached = Math.min(usage.cachedInputTokens(), usage.inputTokens());
        BigDecimal perMillion = input.multiply(BigDecimal.valueOf(usage.inputTokens() - cached))
                .add((cachedInput == null ? input : cachedInput).multiply(BigDecimal.valueOf(cached)))
                .add(output.multiply(BigDecimal.valueOf(usage.outputTokens())));
        BigDecimal usd = perMillion.movePointLeft(6).stripTrailingZeros();
        return usd.scale() < 0 ? usd.setScale(0) : usd;
    }
}
