package dev.switchboard.gateway.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    /** PERCENTILE_CONT over exact values: linear interpolation between the ranks around p * (n - 1). */
    static double percentileCont(long[] sorted, double p) {
        double rank = p * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }

    @Test
    void percentilesBelowTheExactLimitEqualPercentileCont() {
        Random rnd = new Random(7);
        for (int n : new int[] {1, 2, 3, 18, 101, 5_000}) {
            long[] values = new long[n];
            LatencyHistogram h = new LatencyHistogram();
            for (int i = 0; i < n; i++) {
                values[i] = rnd.nextInt((int) LatencyHistogram.EXACT);
                h.record(values[i]);
            }
            Arrays.sort(values);
            for (double p : new double[] {0, 0.5, 0.95, 0.99, 1}) {
                assertThat(h.percentile(p)).as("n=%d p=%s", n, p).isCloseTo(percentileCont(values, p), within(1e-9));
            }
            assertThat(h.count()).isEqualTo(n);
        }
    }

    @Test
    void largerLatenciesAreWithinFourPerMille() {
        Random rnd = new Random(11);
        long[] values = new long[20_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = 200 + rnd.nextInt(3_600_000);
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {0.5, 0.95, 0.99}) {
            double exact = percentileCont(values, p);
            assertThat(h.percentile(p)).as("p=%s", p).isCloseTo(exact, within(exact * 0.004));
        }
    }

    @Test
    void theTextFormRoundTripsAndMerges() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        for (long v : new long[] {5, 5, 90, 255, 256, 70_000}) {
            a.record(v);
        }
        b.record(5);
        b.record(1_000_000);
        LatencyHistogram read = LatencyHistogram.decode(a.encode());
        assertThat(read.encode()).isEqualTo(a.encode());
        assertThat(read.count()).isEqualTo(6);
        read.merge(b);
        assertThat(read.count()).isEqualTo(8);
        assertThat(read.percentile(0)).isEqualTo(5.0);
        assertThat(read.percentile(0.25)).isEqualTo(5.0);
        assertThat(LatencyHistogram.decode("").count()).isZero();
        assertThat(new LatencyHistogram().percentile(0.5)).isZero();
        assertThatThrownBy(() -> LatencyHistogram.decode("12,x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mergingEqualsRecordingEveryValueIntoOneHistogramAndLeavesTheInputsAlone() {
        java.util.Random rnd = new java.util.Random(7);
        for (int round = 0; round < 50; round++) {
            LatencyHistogram a = new LatencyHistogram();
            LatencyHistogram b = new LatencyHistogram();
            LatencyHistogram all = new LatencyHistogram();
            int n = rnd.nextInt(40);
            int m = rnd.nextInt(40);
            for (int i = 0; i < n + m; i++) {
                long v = rnd.nextInt(3) == 0 ? rnd.nextInt(300) : rnd.nextInt(5_000); // shared, interleaved and distinct values
                (i < n ? a : b).record(v);
                all.record(v);
            }
            String aBefore = a.encode();
            String bBefore = b.encode();
            LatencyHistogram merged = LatencyHistogram.merged(a, b);
            assertThat(merged.encode()).as("round %d", round).isEqualTo(all.encode());
            assertThat(merged.count()).isEqualTo(n + m);
            assertThat(a.encode()).as("merged leaves its inputs as they were").isEqualTo(aBefore);
            assertThat(b.encode()).isEqualTo(bBefore);
            merged.record(42); // nor does the result share their arrays
            assertThat(a.encode()).isEqualTo(aBefore);
            assertThat(b.encode()).isEqualTo(bBefore);
            a.merge(b);
            assertThat(a.encode()).isEqualTo(all.encode());
            assertThat(a.count()).isEqualTo(n + m);
        }
    }
}
