package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** Stateless text helpers: reply text and chunks, last user message, deterministic token estimates. */
final class Texts {

    private Texts() {
    }

    /** @return the reply's text, or the last user message of the request for an echo reply */
    static String replyText(Reply reply, JsonNode request) {
        return reply.kind() == Reply.Kind.ECHO ? lastUserText(request.path("messages")) : reply.text();
    }

    /** @return the reply's explicit chunks, or the text split into word chunks */
    static List<String> replyChunks(Reply reply, String text) {
        return reply.explicitChunks() != null ? reply.explicitChunks() : words(text);
    }

    /**
     * Splits text into word chunks whose concatenation is the text: {@code "a b  c"} becomes
     * {@code ["a", " b", "  c"]}.
     */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i)) && !Character.isWhitespace(text.charAt(i - 1))) {
                out.add(text.substring(start, i));
                start = i;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    /** @return the number of whitespace-separated words: the fake server's token estimate */
    static int tokens(String text) {
        int count = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean ws = Character.isWhitespace(text.charAt(i));
            if (!ws && !inWord) {
                count++;
            }
            inWord = !ws;
        }
        return count;
    }

    /** @return the token estimate of all message contents plus an Anthropic-style {@code system} field */
    static int promptTokens(JsonNode request) {
        int total = tokens(contentText(request.path("system")));
        for (JsonNode message : request.path("messages")) {
            total += tokens(contentText(message.path("content")));
        }
        return total;
    }

    /** @return the text of the last message whose role is {@code user}, or {@code ""} */
    static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if ("user".equals(m.path("role").asText())) {
                return contentText(m.path("content"));
            }
        }
        return "";
    }

    /** @return a string content, or the concatenated {@code text} of an array of content parts */
    static String contentText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        if (content.isArray()) {
            for (JsonNode part : content) {
                if (part.isTextual()) {
                    sb.append(part.asText());
                } else if (part.path("text").isTextual()) {
                    sb.append(part.path("text").asText());
                }
            }
        }
        return sb.toString();
    }
}
