package dev.switchboard.testkit;

import java.util.Objects;

/**
 * Start-up settings of a {@link FakeLlmServer}.
 *
 * <pre>{@code
 * FakeLlmServer server = FakeLlmServer.start(ServerConfig.builder()
 *         .embeddingDimensions(16)
 *         .maxRequestBodyBytes(1 << 20)
 *         .build());
 * }</pre>
 *
 * <p>Defaults: ephemeral port ({@code 0}), embedding dimension 8, 8 MiB request bodies, SSE responses
 * {@link Transfer#CHUNKED}, model {@code fake-model} when a request names none. Immutable and thread-safe;
 * the {@link Builder} is not thread-safe.
 */
public final class ServerConfig {

    private final int port;
    private final int embeddingDimensions;
    private final int maxRequestBodyBytes;
    private final Transfer streamTransfer;
    private final String defaultModel;

    private ServerConfig(Builder b) {
        this.port = b.port;
        this.embeddingDimensions = b.embeddingDimensions;
        this.maxRequestBodyBytes = b.maxRequestBodyBytes;
        this.streamTransfer = b.streamTransfer;
        this.defaultModel = b.defaultModel;
    }

    /** @return the default settings */
    public static ServerConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the loopback port to bind; 0 picks a free ephemeral port */
    public int port() { return port; }

    /** @return vector length of embeddings when the request has no {@code dimensions} field */
    public int embeddingDimensions() { return embeddingDimensions; }

    /** @return the largest accepted request body; larger requests get {@code 413} and the connection closes */
    public int maxRequestBodyBytes() { return maxRequestBodyBytes; }

    /** @return framing of streamed replies ({@link Transfer#CHUNKED} or {@link Transfer#CLOSE_DELIMITED}) */
    public Transfer streamTransfer() { return streamTransfer; }

    /** @return the model name echoed when a request has no {@code model} field */
    public String defaultModel() { return defaultModel; }

    /** Mutable builder of {@link ServerConfig}; not thread-safe. */
    public static final class Builder {
        private int port;
        private int embeddingDimensions = 8;
        private int maxRequestBodyBytes = 8 * 1024 * 1024;
        private Transfer streamTransfer = Transfer.CHUNKED;
        private String defaultModel = "fake-model";

        private Builder() {
        }

        /**
         * @param port loopback port 0..65535, 0 = ephemeral
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * @param dimensions default embedding vector length, 1..65536
         * @return this builder
         */
        public Builder embeddingDimensions(int dimensions) {
            if (dimensions < 1 || dimensions > 65536) {
                throw new IllegalArgumentException("dimensions out of range: " + dimensions);
            }
            this.embeddingDimensions = dimensions;
            return this;
        }

        /**
         * @param bytes maximum request body size, {@code >= 0}
         * @return this builder
         */
        public Builder maxRequestBodyBytes(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes must be >= 0");
            }
            this.maxRequestBodyBytes = bytes;
            return this;
        }

        /**
         * @param transfer {@link Transfer#CHUNKED} or {@link Transfer#CLOSE_DELIMITED}
         * @return this builder
         */
        public Builder streamTransfer(Transfer transfer) {
            if (Objects.requireNonNull(transfer, "transfer") == Transfer.CONTENT_LENGTH) {
                throw new IllegalArgumentException("streams cannot use CONTENT_LENGTH framing");
            }
            this.streamTransfer = transfer;
            return this;
        }

        /**
         * @param model model name used when a request has none
         * @return this builder
         */
        public Builder defaultModel(String model) {
            this.defaultModel = Objects.requireNonNull(model, "model");
            return this;
        }

        /** @return the immutable settings */
        public ServerConfig build() {
            return new ServerConfig(this);
        }
    }
}
