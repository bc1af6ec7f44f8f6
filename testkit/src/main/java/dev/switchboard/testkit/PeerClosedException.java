package dev.switchboard.testkit;

import java.io.IOException;

/** The client closed its side of the connection (end of stream seen by the server). */
final class PeerClosedException extends IOException {

    private static final long serialVersionUID = 1L;

    PeerClosedException() {
        super("client closed the connection");
    }
}
