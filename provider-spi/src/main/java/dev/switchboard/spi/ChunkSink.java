package dev.switchboard.spi;

/**
 * Receives a stream's chunks. A provider calls it sequentially (never concurrently) and in order,
 * before completing the stream's future. An exception thrown by the sink cancels the stream.
 */
@FunctionalInterface
public interface ChunkSink {
    /** Receives one chunk. */
    void accept(ChatChunk chunk);
}
