package dev.switchboard.runtime.providers.gateway;

import dev.switchboard.runtime.providers.openai.OpenAiPreset;
import dev.switchboard.runtime.providers.openai.OpenAiProvider;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.InvalidProviderConfigException;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.spi.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Type {@code gateway}: sends calls through a remote Switchboard gateway instead of to the vendor, so
 * the same annotated interface runs in-process or through the gateway by configuration alone. The
 * entry keeps the name the interface's model references use; the gateway receives the model as
 * {@code <remote_provider>/<model>} ({@code remote_provider} defaults to the entry's name).
 *
 * <pre>{@code
 * providers:
 *   openai:                       # @Model("openai/gpt-4o-mini") now goes through the gateway
 *     type: gateway
 *     base_url: http://switchboard.internal:8080
 *     api_key: ${SWITCHBOARD_KEY}
 *     direct_fallback: { type: openai, api_key: ${OPENAI_API_KEY} }   # when the gateway is unreachable
 * }</pre>
 *
 * <p>{@code direct_fallback} is optional: when the connection to the gateway cannot be opened (connection
 * refused, connect timeout, unknown host, no route) the call goes to that provider directly, so the gateway
 * is not a single point of failure for Java callers. A failure after the connection was open (reset, closed
 * before the answer) does not fall back, since the gateway may already have sent the request on. Thread-safe.
 */
public final class GatewayProviderFactory implements ProviderFactory {
    private static final Set<String> OWN_KEYS = Set.of("remote_provider", "direct_fallback");

    @Override
    public String type() {
        return "gateway";
    }

    @Override
    public ChatProvider create(ProviderConfig config) {
        String base = config.baseUrlOr(null);
        String v1 = base.endsWith("/v1") ? base : base + "/v1";
        Map<String, Object> options = new LinkedHashMap<>(config.options());
        OWN_KEYS.forEach(options::remove);
        ProviderConfig toGateway = ProviderConfig.builder(config.name(), "gateway").baseUrl(v1).apiKey(config.apiKey())
                .connectTimeout(config.connectTimeout()).requestTimeout(config.requestTimeout())
                .options(options).transport(config.transport()).build();
        OpenAiPreset preset = new OpenAiPreset("gateway", null, false, Capabilities.ALL, Set.of(), Map.of(), true);
        String remote = config.stringOption("remote_provider", config.name());
        return new GatewayProvider(remote, new OpenAiProvider(toGateway, preset), directFallback(config));
    }

    private static ChatProvider directFallback(ProviderConfig config) {
        Object raw = config.options().get("direct_fallback");
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof Map<?, ?> map) || !(map.get("type") instanceof String type)) {
            throw new InvalidProviderConfigException("direct_fallback", "direct_fallback must be a provider entry with a type");
        }
        if ("gateway".equals(type)) {
            throw new InvalidProviderConfigException("direct_fallback.type", "direct_fallback must call a vendor directly, not another gateway");
        }
        ProviderConfig.Builder b = ProviderConfig.builder(config.name(), type)
                .connectTimeout(config.connectTimeout()).requestTimeout(config.requestTimeout()).transport(config.transport());
        map.forEach((k, v) -> {
            String key = String.valueOf(k);
            switch (key) {
                case "type" -> { }
                case "base_url" -> b.baseUrl(String.valueOf(v));
                case "api_key" -> b.apiKey(Secret.of(String.valueOf(v)));
                default -> b.option(key, v);
            }
        });
        for (ProviderFactory f : ServiceLoader.load(ProviderFactory.class, GatewayProviderFactory.class.getClassLoader())) {
            if (f.type().equals(type)) {
                try {
                    return f.create(b.build());
                } catch (InvalidProviderConfigException e) {
                    throw new InvalidProviderConfigException("direct_fallback." + e.key(), e.getMessage());
                }
            }
        }
        throw new InvalidProviderConfigException("direct_fallback.type", "unknown provider type '" + type + "'");
    }
}
