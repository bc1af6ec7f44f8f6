package dev.switchboard.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class after which Netty reports a leaked buffer (a {@link ByteBuf} collected without being
 * released): a gateway that leaks one per request runs out of direct memory in production. Registered for every
 * test class of this module (JUnit's extension auto-detection, {@code junit-platform.properties}); does nothing
 * unless {@link RecordingLeakDetector} is installed, as the surefire configuration does.
 *
 * <p>Netty reports a leak only after the buffer is collected, when a later buffer is tracked; so after each class
 * this collects garbage and allocates a few buffers until the collector's reference queue has been drained. A leak
 * is reported once, after the class during which it was collected: usually the one that leaked it, at worst the
 * next one; the message carries Netty's records of where the buffer was last used.
 */
public final class NettyLeakCheck implements AfterAllCallback {
    private static final int ROUNDS = 3;

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        List<String> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) reported after " + context.getDisplayName()
                    + " (or a class before it): " + String.join("\n\n", leaks));
        }
    }

    /**
     * The leaks Netty reports once what is garbage now has been collected (and not reported before); empty when
     * {@link RecordingLeakDetector} is not installed.
     */
    static List<String> collectLeaks() throws InterruptedException {
        List<String> leaks = new ArrayList<>();
        if (!RecordingLeakDetector.installed()) {
            return leaks;
        }
        for (int i = 0; i < ROUNDS; i++) {
            System.gc();
            Thread.sleep(20); // the reference handler enqueues what the collection found
            ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(16); // tracking it drains the queue
            probe.release();
            leaks.addAll(RecordingLeakDetector.drain());
        }
        return leaks;
    }
}
