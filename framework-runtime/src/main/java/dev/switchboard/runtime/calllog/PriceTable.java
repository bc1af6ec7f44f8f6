package dev.switchboard.runtime.calllog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.api.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Model prices for the cost of logged calls, in USD per million tokens. {@link #defaults()} is the table
 * shipped in {@code switchboard-prices.yaml} (public list prices, dated by {@link #asOf()}); hosts put
 * their own prices on top with {@link #overriddenBy}, e.g. the gateway's {@code gateway.prices} section.
 *
 * <pre>{@code
 * PriceTable prices = PriceTable.defaults().overriddenBy(PriceTable.fromNode(config.gateway().path("prices")));
 * }</pre>
 *
 * <p>Keys are model names ({@code gpt-4o}) or {@code provider-entry/model} ({@code azure-eu/my-gpt4o}), case
 * insensitive. {@link #find} tries the entry-qualified name, then the model name, then the longest key that
 * is a prefix of the model name followed by {@code -}, {@code @}, {@code :} or {@code .} (so
 * {@code gpt-4o-2024-08-06} is priced as {@code gpt-4o}). Immutable and thread-safe.
 */
public final class PriceTable {
    /** The classpath resource of the shipped prices. */
    public static final String RESOURCE = "switchboard-prices.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static volatile PriceTable defaults;
    /** The most lookups each memo of a table keeps. */
    private static final int REMEMBERED = 10_000;

    private final Map<String, ModelPrice> prices;
    private final String asOf;
    private final Map<String, Optional<ModelPrice>> lookups = new ConcurrentHashMap<>();
    /** {@link #cost}'s price by provider, request model and response model as given (a call's names, not lower-cased). */
    private final Map<CostKey, Optional<ModelPrice>> costLookups = new ConcurrentHashMap<>();

    /**
     * A call's names as {@link #costLookups} keys them, made per call. Its hash and equality are written out
     * (docs/design.md, "Map keys made per call").
     */
    private record CostKey(String provider, String requestModel, String responseModel) {
        @Override
        public int hashCode() {
            return 31 * (31 * Objects.hashCode(provider) + Objects.hashCode(requestModel)) + Objects.hashCode(responseModel);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CostKey k && Objects.equals(provider, k.provider) && Objects.equals(requestModel, k.requestModel)
                    && Objects.equals(responseModel, k.responseModel);
        }
    }

    private PriceTable(Map<String, ModelPrice> prices, String asOf) {
        this.prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
        this.asOf = asOf;
    }

    /** A table with no prices (costs are unknown). */
    public static PriceTable empty() {
        return new PriceTable(Map.of(), null);
    }

    /** A table of the given prices by key. */
    public static PriceTable of(Map<String, ModelPrice> prices) {
        Map<String, ModelPrice> m = new LinkedHashMap<>();
        prices.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
        return new PriceTable(m, null);
    }

    /** The shipped table ({@value #RESOURCE}), read once. */
    public static PriceTable defaults() {
        PriceTable d = defaults;
        if (d == null) {
            try (InputStream in = PriceTable.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                d = in == null ? empty() : fromNode(YAML.readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
            defaults = d;
        }
        return d;
    }

    /** Parses YAML or JSON text in the format of {@link #fromNode}. */
    public static PriceTable parse(String yamlOrJson) {
        try {
            return fromNode(YAML.readTree(yamlOrJson));
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid price table: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a table: either a map of key → {@code {input, output, cached_input}} (USD per million tokens),
     * or a document with such a map under {@code models} (and an optional {@code as_of} date). A missing or
     * null node gives an empty table.
     *
     * @throws IllegalArgumentException naming the key of an entry without {@code input}/{@code output} or with a negative price
     */
    public static PriceTable fromNode(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return empty();
        }
        String asOf = node.hasNonNull("as_of") ? node.get("as_of").asText() : null;
        JsonNode models = node.has("models") ? node.get("models") : node;
        Map<String, ModelPrice> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : models.properties()) {
            if (e.getKey().equals("as_of") || !e.getValue().isObject()) {
                continue;
            }
            JsonNode p = e.getValue();
            if (!p.path("input").isNumber() || !p.path("output").isNumber()) {
                throw new IllegalArgumentException("price of '" + e.getKey() + "' needs numeric input and output (USD per 1M tokens)");
            }
            try {
                out.put(e.getKey().toLowerCase(Locale.ROOT), new ModelPrice(p.get("input").decimalValue(), p.get("output").decimalValue(),
                        p.path("cached_input").isNumber() ? p.get("cached_input").decimalValue() : null));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("price of '" + e.getKey() + "': " + ex.getMessage(), ex);
            }
        }
        return new PriceTable(out, asOf);
    }

    /** This table with {@code other}'s prices replacing or adding to its own. */
    public PriceTable overriddenBy(PriceTable other) {
        Map<String, ModelPrice> m = new LinkedHashMap<>(prices);
        m.putAll(other.prices);
        return new PriceTable(m, other.asOf != null ? other.asOf : asOf);
    }

    /** The date the shipped prices were collected, or null. */
    public String asOf() {
        return asOf;
    }

    /** Every price by (lower-case) key. */
    public Map<String, ModelPrice> prices() {
        return prices;
    }

    /** The price of {@code model} at provider entry {@code provider} (may be null), or null when unknown. */
    public ModelPrice find(String provider, String model) {
        if (model == null || prices.isEmpty()) {
            return null;
        }
        String m = model.toLowerCase(Locale.ROOT);
        String key = provider == null ? m : provider.toLowerCase(Locale.ROOT) + "/" + m;
        return remembered(lookups, key, () -> {
            ModelPrice p = provider == null ? null : prices.get(key);
            if (p == null) {
                p = prices.get(m);
            }
            if (p == null && provider != null) {
                p = longestPrefix(key);
            }
            return p == null ? longestPrefix(m) : p;
        });
    }

    /**
     * The cost of a call in USD: priced by {@code provider}/{@code requestModel} when listed, else by the
     * model the provider reported, else by the requested model; null when none is priced.
     */
    public BigDecimal cost(String provider, String requestModel, String responseModel, Usage usage) {
        ModelPrice p = priceOf(provider, requestModel, responseModel);
        return p == null ? null : p.cost(usage);
    }

    /**
     * The price {@link #cost} uses, remembered by the names as given: a gateway prices the same few models for every
     * call, and the lookups lower-case and join names.
     */
    private ModelPrice priceOf(String provider, String requestModel, String responseModel) {
        return remembered(costLookups, new CostKey(provider, requestModel, responseModel), () -> {
            ModelPrice p = provider == null || requestModel == null ? null
                    : prices.get(provider.toLowerCase(Locale.ROOT) + "/" + requestModel.toLowerCase(Locale.ROOT));
            if (p == null) {
                p = find(provider, responseModel);
            }
            return p == null ? find(provider, requestModel) : p;
        });
    }

    /**
     * What {@code lookUp} gives for {@code key}, remembered in {@code memo} (absent prices too) while it holds fewer
     * than {@value #REMEMBERED} keys: names come from calls and providers, so there may be any number of them.
     */
    private static <K> ModelPrice remembered(Map<K, Optional<ModelPrice>> memo, K key, Supplier<ModelPrice> lookUp) {
        Optional<ModelPrice> hit = memo.get(key);
        if (hit == null) {
            hit = Optional.ofNullable(lookUp.get());
            if (memo.size() < REMEMBERED) {
                memo.put(key, hit);
            }
        }
        return hit.orElse(null);
    }

    private ModelPrice longestPrefix(String m) {
        String best = null;
        for (String k : prices.keySet()) {
            if (m.length() > k.length() && m.startsWith(k) && "-@:.".indexOf(m.charAt(k.length())) >= 0
                    && (best == null || k.length() > best.length())) {
                best = k;
            }
        }
        return best == null ? null : prices.get(best);
    }
}
