package dev.switchboard.runtime.providers.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.http.HttpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Shared pieces of the Azure OpenAI tests: fixtures, paths, a provider pointed at a fake server. */
final class AzureTestSupport {
    static final String KEY = "az-key-123";
    static final String DEPLOYMENT = "gpt-4o-eu";
    static final String CHAT = "/openai/deployments/" + DEPLOYMENT + "/chat/completions";
    static final String EMBEDDINGS = "/openai/deployments/" + DEPLOYMENT + "/embeddings";

    private AzureTestSupport() {
    }

    static String fixture(String name) {
        try (InputStream in = AzureTestSupport.class.getResourceAsStream("/fixtures/azure-openai/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A provider with its own transport (see {@code GeminiTestSupport.provider}: never reuse one after a finished stream). */
    static ChatProvider provider(String baseUrl, Map<String, ?> options) {
        return new AzureOpenAiProviderFactory().create(ProviderConfig.builder("azure-eu", "azure-openai").baseUrl(baseUrl)
                .apiKey(Secret.of(KEY)).options(options).requestTimeout(Duration.ofSeconds(5))
                .transport(HttpTransport.jdk(Duration.ofSeconds(2))).build());
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("call failed", e);
        }
    }

    /** The ProviderException a future failed with (directly, not wrapped). */
    static ProviderException failure(CompletableFuture<?> f) {
        Throwable t = catchThrowable(() -> f.get(10, TimeUnit.SECONDS));
        assertThat(t).as("the call should fail").isNotNull();
        assertThat(t.getCause()).isInstanceOf(ProviderException.class);
        return (ProviderException) t.getCause();
    }
}
