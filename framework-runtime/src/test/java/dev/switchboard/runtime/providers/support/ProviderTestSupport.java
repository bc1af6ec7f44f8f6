package dev.switchboard.runtime.providers.support;

import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.ProviderException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Helpers shared by the provider tests: fixtures, awaiting futures, a recording sink, a closed port. */
public final class ProviderTestSupport {
    private ProviderTestSupport() {
    }

    /** A fixture under {@code src/test/resources/fixtures/}, e.g. {@code anthropic/message.json}. */
    public static String fixture(String path) {
        try (InputStream in = ProviderTestSupport.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of a future that must succeed within 10 seconds. */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("expected success but failed with " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("no answer in time: " + e, e);
        }
    }

    /** The {@link ProviderException} a future must fail with within 10 seconds. */
    public static ProviderException failure(CompletableFuture<?> future) {
        Throwable t;
        try {
            t = future.handle((r, e) -> e).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer in time: " + e, e);
        }
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (!(t instanceof ProviderException pe)) {
            throw new AssertionError("expected a ProviderException but got " + t, t);
        }
        return pe;
    }

    /** A loopback port nothing listens on (bound, then released). */
    public static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sink that records chunks. Thread-safe. */
    public static final class RecordingSink implements ChunkSink {
        private final List<ChatChunk> chunks = new CopyOnWriteArrayList<>();

        @Override
        public void accept(ChatChunk chunk) {
            chunks.add(chunk);
        }

        /** Every chunk received, in order. */
        public List<ChatChunk> chunks() {
            return List.copyOf(chunks);
        }

        /** The text of the chunks that carry text, in order. */
        public List<String> texts() {
            return chunks.stream().filter(c -> !c.text().isEmpty()).map(ChatChunk::text).toList();
        }
    }
}
