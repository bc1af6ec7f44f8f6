package dev.switchboard.gateway.transport;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;

/**
 * Maps Netty's failures to the exceptions the JDK {@code HttpClient} transport fails with, so that
 * {@code ProviderException.fromFailure} classifies both transports' failures the same way: a connect that
 * does not finish in time becomes {@link HttpConnectTimeoutException}, an unknown host {@link ConnectException},
 * anything else on the wire an {@link IOException}. Stateless.
 */
final class Failures {
    private Failures() {
    }

    /** The failure of opening a connection (TCP connect, name resolution or TLS handshake) to {@code origin}. */
    static Throwable connect(Throwable t, Origin origin) {
        Throwable c = unwrap(t);
        if (c instanceof io.netty.channel.ConnectTimeoutException || c instanceof SslHandshakeTimeoutException) {
            HttpConnectTimeoutException e = new HttpConnectTimeoutException("HTTP connect timed out: " + origin
                    + " (" + origin.connectTimeoutMillis() + " ms)");
            e.initCause(c);
            return e;
        }
        if (c instanceof UnknownHostException || c instanceof java.nio.channels.UnresolvedAddressException) {
            ConnectException e = new ConnectException("cannot resolve " + origin.host() + ": " + c.getMessage());
            e.initCause(c);
            return e;
        }
        return io(c);
    }

    /** A failure on an open connection, as an {@link IOException}. */
    static IOException io(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof IOException io) {
            return io;
        }
        return new IOException(c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage(), c);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while (c instanceof DecoderException && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
