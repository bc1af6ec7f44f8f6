package dev.switchboard.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AbSummaryTest {
    private static final String RUN_1 = """
            warm-up: 150 s unpaced
            round 1 plain call_log=on: 9000 rps, p50 1.3 ms, p99 5.2 ms, errors 0, gateway CPU 62 us/request (io 55.3 writer 2.9 us/request by thread)
            round 1 plain call_log=off: 10000 rps, p50 1.1 ms, p99 3.8 ms, errors 0, gateway CPU 54 us/request (io 53.5 us/request by thread)
            round 1 stream call_log=on: 4500 rps, p50 1.5 ms, p99 4.7 ms, errors 0, gateway CPU 73 us/request (io 68.3 us/request by thread)
            round 1 stream call_log=off: 5000 rps, p50 1.4 ms, p99 5.0 ms, errors 0, gateway CPU 65 us/request (io 64.2 us/request by thread)
            round 2 plain call_log=off: 10000 rps, p50 1.1 ms, p99 3.8 ms, errors 0, gateway CPU 54 us/request
            round 2 plain call_log=on: 9500 rps, p50 1.1 ms, p99 3.8 ms, errors 0, gateway CPU 54 us/request
            round 3 plain call_log=on: 9999 rps, p50 1.1 ms, p99 3.8 ms, errors 0, gateway CPU 54 us/request
            median plain: call_log on 9500 rps, off 10000 rps, on/off 95.0%; median of the rounds' on/off 95.0%
            """;
    private static final String RUN_2 = """
            round 1 plain build=B: 10000 rps, p50 1.1 ms, p99 3.8 ms, errors 0, gateway CPU 54 us/request
            round 1 plain build=A: 8000 rps, p50 1.1 ms, p99 3.8 ms, errors 0, gateway CPU 54 us/request
            """;

    @Test
    void pairsEachRoundsTwoRunsAndKeepsTheRunsApart() throws IOException {
        AbSummary s = new AbSummary();
        s.read("run1", new StringReader(RUN_1));
        s.read("run2", new StringReader(RUN_2));
        // round 3 lacks its log-off run; run 2's round 1 is not run 1's
        assertArrayEquals(new double[] {90.0, 95.0, 80.0}, s.ratios("plain"), 1e-9);
        assertArrayEquals(new double[] {90.0}, s.ratios("stream"), 1e-9);
        assertArrayEquals(new double[0], s.ratios("embeddings"), 1e-9);
    }

    @Test
    void reportsTheMedianWithAnIntervalThatHoldsIt() throws IOException {
        AbSummary s = new AbSummary();
        s.read("run1", new StringReader(RUN_1));
        s.read("run2", new StringReader(RUN_2));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertTrue(s.report(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("plain: 3 rounds, median ratio 90.0 % (95 % interval 80.0-95.0 %), quartiles 85.0-92.5 %,"
                + " range 80.0-95.0 %, 1 below 90 %"), out);
        assertTrue(out.contains("stream: 1 rounds, median ratio 90.0 % (95 % interval 90.0-90.0 %)"), out);
    }

    @Test
    void aSummaryOfManyRoundsNarrowsAroundTheirMedian() {
        double[] values = new double[101];
        for (int i = 0; i < values.length; i++) {
            values[i] = 80 + (i * 37 % 101) * 0.2; // 80.0 to 100.0 in a scrambled order
        }
        AbSummary.Summary s = AbSummary.Summary.of(values);
        assertEquals(90.0, s.median(), 1e-9);
        assertEquals(80.0, s.min(), 1e-9);
        assertEquals(100.0, s.max(), 1e-9);
        assertEquals(85.0, s.q1(), 1e-9);
        assertEquals(95.0, s.q3(), 1e-9);
        assertEquals(50, s.below90());
        assertTrue(s.low() < 90 && s.low() > 87, "low " + s.low());
        assertTrue(s.high() > 90 && s.high() < 93, "high " + s.high());
        assertEquals(s, AbSummary.Summary.of(values), "the same values give the same interval");
    }

    @Test
    void noRoundsIsNoReportAndAnEmptySummaryIsRefused() throws IOException {
        AbSummary s = new AbSummary();
        s.read("x", new StringReader("warm-up: 60 s unpaced\nround 1 plain call_log=on: 100 rps\n"));
        assertFalse(s.report(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> AbSummary.Summary.of(new double[0]));
    }
}
