package dev.switchboard.testkit;

import java.io.IOException;

/** A request the server refuses to parse; answered with {@link #status()} and then the connection closes. */
final class HttpProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;

    HttpProtocolException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
