package dev.switchboard.gateway.transport;

import io.netty.util.NetUtil;
import java.net.URI;
import java.util.Locale;

/**
 * Where a request goes and how its connections are opened: scheme, host, port and connect timeout. Requests
 * with equal origins share a connection pool. Immutable and thread-safe.
 *
 * @param tls                  whether the scheme is {@code https}
 * @param host                 the host name or IP literal (IPv6 without brackets)
 * @param port                 the port, defaulted from the scheme
 * @param connectTimeoutMillis the bound of a TCP connect (and TLS handshake)
 */
record Origin(boolean tls, String host, int port, long connectTimeoutMillis) {

    /**
     * The origin of {@code uri}.
     *
     * @throws IllegalArgumentException when the scheme is not http or https, or there is no host
     */
    static Origin of(URI uri, long connectTimeoutMillis) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls;
        if (scheme.equals("https")) {
            tls = true;
        } else if (scheme.equals("http")) {
            tls = false;
        } else {
            throw new IllegalArgumentException("unsupported URI scheme in " + uri + " (http and https are)");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("no host in " + uri);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
        return new Origin(tls, host, port, connectTimeoutMillis);
    }

    /** The {@code Host} header value: the host, bracketed when IPv6, with the port unless it is the scheme's default. */
    String hostHeader() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == (tls ? 443 : 80) ? h : h + ":" + port;
    }

    /** Whether the host is an IP address (no name to resolve, no SNI). */
    boolean ipLiteral() {
        return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
    }

    @Override
    public String toString() {
        return (tls ? "https://" : "http://") + hostHeader();
    }
}
