package dev.switchboard.spi;

import java.util.Objects;

/** One part of a message's content: text or an image. Immutable and thread-safe. */
public sealed interface ContentPart permits ContentPart.Text, ContentPart.Image {

    /** A text part. */
    static Text text(String text) {
        return new Text(text);
    }

    /** An image part by URL (https or {@code data:} URL). */
    static Image image(String url) {
        return new Image(url, null);
    }

    /** Text content. @param text the text */
    record Text(String text) implements ContentPart {
        /** Checks the text is present. */
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * An image, by URL or {@code data:} URL.
     *
     * @param url    the image URL
     * @param detail {@code low}, {@code high}, {@code auto} or null
     */
    record Image(String url, String detail) implements ContentPart {
        /** Checks the URL is present. */
        public Image {
            Objects.requireNonNull(url, "url");
        }

        /** The media type of a {@code data:} URL, or null for a remote URL. */
        public String dataMediaType() {
            if (!url.startsWith("data:")) {
                return null;
            }
            int semi = url.indexOf(';');
            return semi > 5 ? url.substring(5, semi) : null;
        }

        /** The base64 payload of a {@code data:} URL, or null for a remote URL. */
        public String dataBase64() {
            int comma = url.indexOf(",");
            return url.startsWith("data:") && comma > 0 ? url.substring(comma + 1) : null;
        }
    }
}
