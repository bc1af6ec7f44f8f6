package dev.switchboard.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes one response: the status line and headers, then body parts framed according to a {@link Transfer}.
 * Used by one handler thread only.
 */
final class BodyWriter {

    private final Connection conn;
    private final Transfer transfer;
    private boolean finished;

    private BodyWriter(Connection conn, Transfer transfer) {
        this.conn = conn;
        this.transfer = transfer;
    }

    /**
     * Writes the response head and returns a writer for the body.
     *
     * @param contentLength body length, used only with {@link Transfer#CONTENT_LENGTH}
     * @param keepAlive     false adds {@code Connection: close}
     * @param extra         headers that replace built-in ones of the same name, or are appended
     */
    static BodyWriter open(Connection conn, int status, String contentType, Transfer transfer, long contentLength,
                           boolean keepAlive, List<Map.Entry<String, String>> extra) throws IOException {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Content-Type", contentType));
        if (transfer == Transfer.CONTENT_LENGTH) {
            headers.add(Map.entry("Content-Length", Long.toString(contentLength)));
        } else if (transfer == Transfer.CHUNKED) {
            headers.add(Map.entry("Transfer-Encoding", "chunked"));
        }
        if (contentType.startsWith("text/event-stream")) {
            headers.add(Map.entry("Cache-Control", "no-cache"));
        }
        if (!keepAlive || transfer == Transfer.CLOSE_DELIMITED) {
            headers.add(Map.entry("Connection", "close"));
        }
        headers.removeIf(h -> extra.stream().anyMatch(e -> e.getKey().equalsIgnoreCase(h.getKey())));
        headers.addAll(extra);
        StringBuilder head = new StringBuilder(256)
                .append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        for (Map.Entry<String, String> h : headers) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("\r\n");
        conn.write(head.toString().getBytes(StandardCharsets.UTF_8));
        return new BodyWriter(conn, transfer);
    }

    /** Writes a part of the body (one chunk when chunked) and flushes it. */
    void part(byte[] bytes) throws IOException {
        part(bytes, 0, bytes.length);
    }

    void part(byte[] bytes, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        if (transfer == Transfer.CHUNKED) {
            conn.writeAscii(Integer.toHexString(len) + "\r\n");
            conn.write(bytes, off, len);
            conn.writeAscii("\r\n");
        } else {
            conn.write(bytes, off, len);
        }
        conn.flush();
    }

    void part(String text) throws IOException {
        part(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Ends the body: writes the last chunk when chunked, and flushes. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        if (transfer == Transfer.CHUNKED) {
            conn.writeAscii("0\r\n\r\n");
        }
        conn.flush();
    }

    static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 408: return "Request Timeout";
            case 409: return "Conflict";
            case 413: return "Payload Too Large";
            case 422: return "Unprocessable Entity";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 501: return "Not Implemented";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            case 505: return "HTTP Version Not Supported";
            case 529: return "Overloaded";
            default: return status < 300 ? "OK" : status < 500 ? "Client Error" : "Server Error";
        }
    }
}
