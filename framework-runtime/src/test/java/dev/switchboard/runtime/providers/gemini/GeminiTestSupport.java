package dev.switchboard.runtime.providers.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.http.HttpTransport;
import dev.switchboard.testkit.FakeLlmServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Shared pieces of the Gemini tests: fixtures, paths, a provider pointed at a fake server. */
final class GeminiTestSupport {
    static final String KEY = "gk-test-123";
    static final String MODEL = "gemini-2.5-flash";
    static final String GENERATE = "/v1beta/models/" + MODEL + ":generateContent";
    static final String STREAM = "/v1beta/models/" + MODEL + ":streamGenerateContent";

    private GeminiTestSupport() {
    }

    static String fixture(String name) {
        try (InputStream in = GeminiTestSupport.class.getResourceAsStream("/fixtures/gemini/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ChatProvider provider(FakeLlmServer server) {
        return provider(server.rootUrl());
    }

    /**
     * A provider with its own transport: {@code JdkHttpTransport.stream} cancels the exchange after a stream
     * ends normally, which can close a pooled connection the next request already took, so tests never
     * share a transport across a finished stream.
     */
    static ChatProvider provider(String baseUrl) {
        return new GeminiProviderFactory().create(ProviderConfig.builder("gem", "gemini").baseUrl(baseUrl)
                .apiKey(Secret.of(KEY)).requestTimeout(Duration.ofSeconds(5)).transport(HttpTransport.jdk(Duration.ofSeconds(2)))
                .build());
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
