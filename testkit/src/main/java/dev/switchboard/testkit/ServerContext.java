package dev.switchboard.testkit;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** The shared, thread-safe parts of one server that every connection handler uses. */
record ServerContext(ServerConfig config, ScriptBook book, RequestLog log, ConnectionStats stats,
                     RequestParser parser, AtomicLong ids, AtomicBoolean closing) {

    boolean isClosing() {
        return closing.get();
    }

    long nextId() {
        return ids.incrementAndGet();
    }
}
