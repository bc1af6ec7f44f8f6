package dev.switchboard.spi;

/**
 * Receives a stream's chunks. A provider calls it sequentially (never concurrently) and in order,
 * before completing the stream's future. An exception thrown by the sink cancels the stream.
 */
@FunctionalInterface
public interface ChunkSink {
    /** Receives one chunk. */
    void accept(ChatChunk chunk);

    /**
     * Told by the engine, before each attempt and before any of that attempt's chunks, which model is about to stream
     * into this sink (a retry, or a fallback's model once the first failed before any output). A sink that writes the
     * model into its output (an OpenAI chunk's {@code model}) uses it; the default ignores it. Providers do not call it.
     */
    default void attempting(String provider, String model) {
    }
}
