package dev.switchboard.gateway;

import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Netty's leak detector, keeping every leak it reports (besides logging it) so that {@link NettyLeakCheck} can
 * fail the tests that leaked. Installed for the whole test JVM by the surefire configuration
 * ({@code -Dio.netty.customResourceLeakDetector=…}, with {@code -Dio.netty.leakDetection.level=paranoid}: every
 * buffer tracked, every access recorded). Thread-safe.
 *
 * @param <T> the tracked resource type
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    /** The constructor Netty's detector factory calls for a custom detector class. */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    /** Netty's older custom-detector constructor, which its factory uses for detectors asked for with a {@code maxActive}. */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
    }

    /** Whether this detector is the one in use (the surefire configuration installed it). */
    static boolean installed() {
        return RecordingLeakDetector.class.getName().equals(System.getProperty("io.netty.customResourceLeakDetector"));
    }

    /** The leaks reported since the last call, each with Netty's access records; clears them. */
    static List<String> drain() {
        List<String> out = new ArrayList<>();
        for (String s; (s = LEAKS.poll()) != null; ) {
            out.add(s);
        }
        return out;
    }

    @Override
    protected boolean needReport() {
        return true; // report even when Netty's logger has ERROR off
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LEAKS.add(resourceType + " leaked; its recent accesses:" + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LEAKS.add(resourceType + " leaked (no access records)");
        super.reportUntracedLeak(resourceType);
    }
}
