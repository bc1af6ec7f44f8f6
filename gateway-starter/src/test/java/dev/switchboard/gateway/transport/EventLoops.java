package dev.switchboard.gateway.transport;

import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's NIO event loop group, started before its first test and shut down after its last:
 * {@code @RegisterExtension static final EventLoops LOOPS = new EventLoops(2);} then {@code LOOPS.group()}.
 */
final class EventLoops implements BeforeAllCallback, AfterAllCallback {
    private final int threads;
    private EventLoopGroup group;

    EventLoops(int threads) {
        this.threads = threads;
    }

    /** The group; only between the class's first and last test. */
    EventLoopGroup group() {
        return group;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        group = TransportFixture.group(threads);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TransportFixture.shutdown(group);
    }
}
