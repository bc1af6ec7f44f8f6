package dev.switchboard.gateway.transport;

import dev.switchboard.spi.http.HttpCall;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Conversions between the SPI's HTTP values and Netty's, and a bounded body buffer. Stateless except {@link Body}. */
final class Messages {
    private Messages() {
    }

    /** The HTTP/1.1 request of {@code call}: origin-form target, {@code Host}, the call's headers, its body. */
    static FullHttpRequest request(HttpCall call, Origin origin) {
        URI uri = call.uri();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        byte[] bytes = call.body();
        ByteBuf content = bytes.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(call.method()), target, content);
        HttpHeaders h = req.headers();
        h.set(HttpHeaderNames.HOST, origin.hostHeader());
        call.headers().forEach(h::set);
        if (bytes.length > 0 || !"GET".equals(call.method()) && !"HEAD".equals(call.method())) {
            h.set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        }
        if (!h.contains(HttpHeaderNames.USER_AGENT)) {
            h.set(HttpHeaderNames.USER_AGENT, "switchboard-gateway");
        }
        return req;
    }

    /** Response headers by lower-case name, as the JDK transport gives them. */
    static Map<String, List<String>> headers(HttpHeaders h) {
        Map<String, List<String>> out = new TreeMap<>();
        for (Map.Entry<String, String> e : h) {
            out.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(e.getValue());
        }
        return out;
    }

    /** A plain body being read: sized from {@code Content-Length} when known, bounded. Not thread-safe. */
    static final class Body {
        private final int max;
        private byte[] bytes;
        private int length;

        /**
         * @param expected the announced length, or -1
         * @throws IOException when {@code expected} exceeds {@code max}
         */
        Body(long expected, int max) throws IOException {
            if (expected > max) {
                throw new IOException("the answer's body of " + expected + " bytes exceeds the limit of " + max);
            }
            this.max = max;
            this.bytes = new byte[expected >= 0 ? (int) expected : 1024];
        }

        /** Appends the readable bytes of {@code buf} (not consumed). @throws IOException above the limit */
        void append(ByteBuf buf) throws IOException {
            int n = buf.readableBytes();
            if ((long) length + n > max) {
                throw new IOException("the answer's body exceeds the limit of " + max + " bytes");
            }
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(max, Math.max(length + (long) n, bytes.length * 2L)));
            }
            buf.getBytes(buf.readerIndex(), bytes, length, n);
            length += n;
        }

        /** The bytes read (the buffer itself when exactly full). */
        byte[] bytes() {
            return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        }
    }
}
