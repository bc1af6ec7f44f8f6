package dev.switchboard.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Request bodies sent with {@code Content-Encoding: gzip} (or {@code identity}, or none). The compressed size is
 * bounded by {@code gateway.max_body_bytes} before the body is read; the inflated size is bounded here, so a small
 * body cannot inflate without limit. Stateless and thread-safe.
 */
final class GzipBodies {
    /** How many times the body limit a gzip body may inflate to. */
    static final int INFLATION = 8;

    private GzipBodies() {
    }

    /**
     * The body of {@code ex}, inflated when it is gzip.
     *
     * @param maxBytes the largest inflated body
     * @throws GatewayException 400 for a broken gzip stream, 413 past {@code maxBytes}, 415 for another encoding
     */
    static byte[] body(Exchange ex, long maxBytes) {
        String enc = ex.requestHeaders().get(HttpHeaderNames.CONTENT_ENCODING);
        if (enc == null || enc.isBlank() || enc.trim().equalsIgnoreCase("identity")) {
            return ex.body();
        }
        if (!enc.trim().toLowerCase(Locale.ROOT).equals("gzip")) {
            throw new GatewayException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "invalid_request_error", null, "unsupported_encoding",
                    "Content-Encoding '" + enc + "' is not supported: send gzip or an uncompressed body");
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(ex.body()))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, ex.body().length * 4));
            byte[] buf = new byte[16 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                if (out.size() + (long) n > maxBytes) {
                    throw new GatewayException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "invalid_request_error", null,
                            "request_too_large", "the gzip body inflates to more than " + maxBytes + " bytes; send fewer records at a time");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw GatewayException.badRequest(null, "the gzip body cannot be inflated: " + e.getMessage());
        }
    }
}
