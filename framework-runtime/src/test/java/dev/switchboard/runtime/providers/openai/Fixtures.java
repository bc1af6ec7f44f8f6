package dev.switchboard.runtime.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the OpenAI wire-format fixtures under {@code src/test/resources/fixtures/openai/}. */
final class Fixtures {
    private Fixtures() {
    }

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/openai/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String name) {
        return OpenAiCodec.shared().parse(text(name));
    }

    /** The JSON payloads of an SSE fixture's {@code data:} lines, {@code [DONE]} excluded. */
    static java.util.List<JsonNode> sseChunks(String name) {
        return text(name).lines().filter(l -> l.startsWith("data: ") && !l.equals("data: [DONE]"))
                .map(l -> OpenAiCodec.shared().parse(l.substring(6))).toList();
    }
}
