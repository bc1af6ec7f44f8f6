package dev.switchboard.runtime.providers.azure;

import dev.switchboard.spi.InvalidProviderConfigException;
import dev.switchboard.spi.ProviderConfig;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where and how an Azure OpenAI entry sends requests, read once from its configuration: the resource
 * endpoint, the API style ({@code deployments}: {@code /openai/deployments/{deployment}/…?api-version=…};
 * {@code v1}: {@code /openai/v1/…} with the deployment as {@code model}), and the auth header ({@code api-key},
 * or {@code Authorization: Bearer} for Microsoft Entra ID). Immutable and thread-safe.
 */
final class AzureEndpoint {
    /** The default {@code api_version}: the newest stable inference API. */
    static final String DEFAULT_API_VERSION = "2024-10-21";
    private static final Pattern API_VERSION = Pattern.compile("[A-Za-z0-9.-]+");
    private static final Pattern DEPLOYMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final String base;
    private final boolean v1;
    private final String apiVersion;
    private final Map<String, String> authHeader;

    /** @throws InvalidProviderConfigException naming the key when the entry is invalid */
    AzureEndpoint(ProviderConfig config) {
        this.base = config.baseUrlOr(null);
        if (base.toLowerCase(Locale.ROOT).matches(".*/openai(/v1)?")) {
            throw new InvalidProviderConfigException("base_url", "base_url is the resource endpoint, such as "
                    + "https://myres.openai.azure.com, without /openai; was " + base);
        }
        String style = config.stringOption("api_style", "deployments");
        if (!style.equals("deployments") && !style.equals("v1")) {
            throw new InvalidProviderConfigException("api_style", "api_style must be deployments or v1, was '" + style + "'");
        }
        this.v1 = style.equals("v1");
        this.apiVersion = config.stringOption("api_version", DEFAULT_API_VERSION);
        if (!API_VERSION.matcher(apiVersion).matches()) {
            throw new InvalidProviderConfigException("api_version", "api_version must look like 2024-10-21, was '" + apiVersion + "'");
        }
        if (config.apiKey().isEmpty()) {
            throw new InvalidProviderConfigException("api_key", "api_key is required for type 'azure-openai' "
                    + "(the resource key, or an Entra ID access token with auth: entra)");
        }
        String auth = config.stringOption("auth", "api-key");
        if (auth.equals("api-key")) {
            this.authHeader = Map.of("api-key", config.apiKey().reveal());
        } else if (auth.equals("entra")) {
            this.authHeader = Map.of("Authorization", "Bearer " + config.apiKey().reveal());
        } else {
            throw new InvalidProviderConfigException("auth", "auth must be api-key or entra, was '" + auth + "'");
        }
    }

    /** Whether a deployment name can be put in a URL path as is. */
    static boolean validDeployment(String deployment) {
        return DEPLOYMENT.matcher(deployment).matches();
    }

    /** The URI of an operation ({@code chat/completions}, {@code embeddings}) of a deployment. */
    URI uri(String deployment, String operation) {
        return URI.create(v1 ? base + "/openai/v1/" + operation
                : base + "/openai/deployments/" + deployment + "/" + operation + "?api-version=" + apiVersion);
    }

    /** The authentication header, by name. */
    Map<String, String> authHeader() {
        return authHeader;
    }

    /** The resource endpoint, for messages. */
    String base() {
        return base;
    }

    @Override
    public String toString() {
        return base + (v1 ? " (v1)" : " (api-version " + apiVersion + ")") + " auth=" + authHeader.keySet();
    }
}
