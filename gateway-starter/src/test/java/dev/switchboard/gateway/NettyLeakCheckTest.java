package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak check itself: a buffer dropped without release is reported, with where it was last used. */
class NettyLeakCheckTest {
    @Test
    void theSurefireConfigurationInstallsTheRecordingDetector() {
        assertThat(RecordingLeakDetector.installed()).as("-Dio.netty.customResourceLeakDetector in the surefire configuration").isTrue();
    }

    @Test
    void aBufferCollectedWithoutReleaseIsReportedWithItsLastAccess() throws InterruptedException {
        NettyLeakCheck.collectLeaks(); // whatever earlier classes left
        leakOne();
        assertThat(NettyLeakCheck.collectLeaks())
                .anySatisfy(l -> assertThat(l).contains("ByteBuf leaked").contains("the buffer NettyLeakCheckTest drops"));
        assertThat(NettyLeakCheck.collectLeaks()).as("reported once").noneMatch(l -> l.contains("NettyLeakCheckTest drops"));
    }

    private static void leakOne() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64).writeLong(42);
        b.touch("the buffer NettyLeakCheckTest drops");
    }
}
