package dev.switchboard.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one HTTP/1.x request from a {@link Connection}: request line, headers, and a body framed by
 * {@code Content-Length} or {@code Transfer-Encoding: chunked}; answers {@code Expect: 100-continue}.
 * Stateless apart from its limits, so one instance may serve every connection of a server.
 */
final class RequestParser {

    /** A parsed request before it is numbered and recorded. */
    record Incoming(String method, String target, String version, List<Map.Entry<String, String>> headers,
                    byte[] body, boolean chunked) {

        String header(String name) {
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
            return null;
        }

        boolean keepAlive() {
            String connection = header("Connection");
            String c = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
            return "HTTP/1.0".equals(version) ? c.contains("keep-alive") : !c.contains("close");
        }
    }

    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 200;
    private static final int MAX_BLANK_LINES = 8;

    private final int maxBody;

    RequestParser(int maxBody) {
        this.maxBody = maxBody;
    }

    /** @throws PeerClosedException if the client closes before or during the request */
    Incoming read(Connection conn) throws IOException {
        String line = conn.readLine(MAX_LINE);
        for (int blanks = 0; line != null && line.isEmpty(); blanks++) {
            if (blanks == MAX_BLANK_LINES) {
                throw new HttpProtocolException(400, "too many blank lines before the request line");
            }
            line = conn.readLine(MAX_LINE);
        }
        if (line == null) {
            throw new PeerClosedException();
        }
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || !isToken(parts[0]) || parts[1].isEmpty()) {
            throw new HttpProtocolException(400, "malformed request line");
        }
        if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
            throw new HttpProtocolException(505, "unsupported protocol version");
        }
        List<Map.Entry<String, String>> headers = readHeaders(conn);
        Incoming head = new Incoming(parts[0], parts[1], parts[2], headers, new byte[0], false);
        String te = head.header("Transfer-Encoding");
        if (te != null) {
            if (!te.trim().toLowerCase(Locale.ROOT).endsWith("chunked")) {
                throw new HttpProtocolException(501, "unsupported transfer encoding: " + te);
            }
            continueIfExpected(conn, head);
            return new Incoming(parts[0], parts[1], parts[2], headers, readChunked(conn), true);
        }
        long length = contentLength(headers);
        if (length > maxBody) {
            throw new HttpProtocolException(413, "request body of " + length + " bytes exceeds " + maxBody);
        }
        if (length > 0) {
            continueIfExpected(conn, head);
        }
        byte[] body = length == 0 ? new byte[0] : conn.readExactly((int) length);
        return new Incoming(parts[0], parts[1], parts[2], headers, body, false);
    }

    private static List<Map.Entry<String, String>> readHeaders(Connection conn) throws IOException {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        while (true) {
            String line = conn.readLine(MAX_LINE);
            if (line == null) {
                throw new PeerClosedException();
            }
            if (line.isEmpty()) {
                return headers;
            }
            if (headers.size() == MAX_HEADERS) {
                throw new HttpProtocolException(431, "more than " + MAX_HEADERS + " headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw new HttpProtocolException(400, "malformed header line");
            }
            headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).trim()));
        }
    }

    private static long contentLength(List<Map.Entry<String, String>> headers) throws HttpProtocolException {
        long length = 0;
        boolean seen = false;
        for (Map.Entry<String, String> h : headers) {
            if (!h.getKey().equalsIgnoreCase("Content-Length")) {
                continue;
            }
            String v = h.getValue();
            if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(Character::isDigit)) {
                throw new HttpProtocolException(400, "invalid Content-Length");
            }
            long parsed = Long.parseLong(v);
            if (seen && parsed != length) {
                throw new HttpProtocolException(400, "conflicting Content-Length headers");
            }
            length = parsed;
            seen = true;
        }
        return length;
    }

    private byte[] readChunked(Connection conn) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = conn.readLine(MAX_LINE);
            if (sizeLine == null) {
                throw new PeerClosedException();
            }
            int semi = sizeLine.indexOf(';');
            String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim();
            long size;
            try {
                size = hex.isEmpty() || hex.length() > 8 ? -1 : Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0) {
                throw new HttpProtocolException(400, "invalid chunk size");
            }
            if (size == 0) {
                readHeaders(conn); // trailers, discarded
                return body.toByteArray();
            }
            if (body.size() + size > maxBody) {
                throw new HttpProtocolException(413, "chunked request body exceeds " + maxBody + " bytes");
            }
            body.write(conn.readExactly((int) size));
            String crlf = conn.readLine(MAX_LINE);
            if (crlf == null) {
                throw new PeerClosedException();
            }
            if (!crlf.isEmpty()) {
                throw new HttpProtocolException(400, "chunk data not followed by CRLF");
            }
        }
    }

    private static void continueIfExpected(Connection conn, Incoming head) throws IOException {
        String expect = head.header("Expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue") && head.version().equals("HTTP/1.1")) {
            conn.writeAscii("HTTP/1.1 100 Continue\r\n\r\n");
            conn.flush();
        }
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
