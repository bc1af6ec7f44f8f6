package dev.switchboard.spi;

import dev.switchboard.spi.http.HttpTransport;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of the configuration's {@code providers:} map, as given to a {@link ProviderFactory}.
 * Immutable and thread-safe. Type-specific keys are in {@link #options()} with their snake_case
 * names and JSON-compatible values ({@code ${ENV}} already interpolated).
 *
 * <pre>{@code
 * providers:
 *   azure-eu: { type: azure-openai, base_url: https://x.openai.azure.com, api_key: ${AZURE_KEY}, api_version: 2024-10-21 }
 * }</pre>
 */
public final class ProviderConfig {
    private final String name;
    private final String type;
    private final String baseUrl;
    private final Secret apiKey;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Map<String, Object> options;
    private final HttpTransport transport;

    private ProviderConfig(Builder b) {
        this.name = b.name;
        this.type = b.type;
        this.baseUrl = b.baseUrl;
        this.apiKey = b.apiKey;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(b.options));
        this.transport = b.transport;
    }

    /** A builder for the entry {@code name} of type {@code type}. */
    public static Builder builder(String name, String type) {
        return new Builder(name, type);
    }

    /** The entry's name (the {@code provider} of {@code provider/model} references). */
    public String name() { return name; }
    /** The factory type. */
    public String type() { return type; }
    /** The configured base URL, or null. */
    public String baseUrl() { return baseUrl; }
    /** The API key, possibly empty. */
    public Secret apiKey() { return apiKey; }
    /** How long to wait for a connection. */
    public Duration connectTimeout() { return connectTimeout; }
    /** How long to wait for an answer (for a stream: between two events). */
    public Duration requestTimeout() { return requestTimeout; }
    /** Type-specific keys. */
    public Map<String, Object> options() { return options; }
    /** The shared HTTP transport to use. */
    public HttpTransport transport() { return transport; }

    /**
     * The base URL, or {@code defaultUrl} when none is configured, without trailing slash.
     *
     * @throws InvalidProviderConfigException when neither is set or the URL is not http(s)
     */
    public String baseUrlOr(String defaultUrl) {
        String url = baseUrl != null && !baseUrl.isBlank() ? baseUrl : defaultUrl;
        if (url == null || url.isBlank()) {
            throw new InvalidProviderConfigException("base_url", "base_url is required for type '" + type + "'");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidProviderConfigException("base_url", "base_url is not a valid URL: " + url);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new InvalidProviderConfigException("base_url", "base_url must be an absolute http(s) URL: " + url);
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A string option, or {@code defaultValue}. @throws InvalidProviderConfigException when not a string */
    public String stringOption(String key, String defaultValue) {
        Object v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw new InvalidProviderConfigException(key, key + " must be a string");
    }

    /** A whole-number option, or {@code defaultValue}. @throws InvalidProviderConfigException when not a number */
    public int intOption(String key, int defaultValue) {
        Object v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new InvalidProviderConfigException(key, key + " must be a whole number, was '" + v + "'");
        }
    }

    @Override
    public String toString() {
        return "ProviderConfig{name=" + name + ", type=" + type + ", baseUrl=" + baseUrl + ", apiKey=" + apiKey
                + ", options=" + options.keySet() + "}";
    }

    /** Builds a {@link ProviderConfig}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final String type;
        private String baseUrl;
        private Secret apiKey = Secret.empty();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(120);
        private final Map<String, Object> options = new LinkedHashMap<>();
        private HttpTransport transport;

        private Builder(String name, String type) {
            this.name = Objects.requireNonNull(name, "name");
            this.type = Objects.requireNonNull(type, "type");
        }

        /** Sets the base URL. */
        public Builder baseUrl(String v) { baseUrl = v; return this; }
        /** Sets the API key. */
        public Builder apiKey(Secret v) { apiKey = v == null ? Secret.empty() : v; return this; }
        /** Sets the connect timeout. */
        public Builder connectTimeout(Duration v) { connectTimeout = Objects.requireNonNull(v); return this; }
        /** Sets the request timeout. */
        public Builder requestTimeout(Duration v) { requestTimeout = Objects.requireNonNull(v); return this; }
        /** Sets a type-specific option. */
        public Builder option(String key, Object value) { options.put(key, value); return this; }
        /** Sets type-specific options. */
        public Builder options(Map<String, ?> values) { options.putAll(values); return this; }
        /** Sets the HTTP transport. */
        public Builder transport(HttpTransport v) { transport = v; return this; }

        /** Builds the config; a missing transport gets the shared JDK one. */
        public ProviderConfig build() {
            if (transport == null) {
                transport = HttpTransport.jdk();
            }
            return new ProviderConfig(this);
        }
    }
}
