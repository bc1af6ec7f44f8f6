package dev.switchboard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pools the rounds of one or more {@code bench/gateway-load.sh} A/B runs ({@code MODE=calllog-ab} or
 * {@code MODE=build-ab}) and reports, per kind of call (plain, stream), the median of the rounds' own ratios with a
 * 95 % bootstrap interval. A single round, or a single run's median, moves by several points on a shared 2-core
 * machine; the interval says how far the median of many rounds can be trusted.
 *
 * <pre>
 * bench/gateway-load.sh … | tee ab1.txt     # MODE=calllog-ab ROUNDS=12 …, as often as wanted
 * java -cp bench/target/benchmarks.jar dev.switchboard.bench.AbSummary ab1.txt ab2.txt ab3.txt
 * </pre>
 *
 * <p>A round is the pair of lines {@code round N KIND WHAT=LABEL: RPS rps, …} the harness prints for its two
 * gateways; the ratio is the first gateway's (label {@code on} or {@code A}) over the second's ({@code off} or
 * {@code B}). Lines of anything else are skipped; a round missing one of its two runs is left out. Not thread-safe.
 */
public final class AbSummary {
    private static final Pattern ROUND = Pattern.compile("^round (\\d+) (\\w+) \\w+=(\\w+): (\\d+) rps\\b.*");
    private static final int RESAMPLES = 10_000;

    private final Map<String, Map<String, long[]>> runs = new LinkedHashMap<>(); // kind -> "source/round" -> {first, second}

    /** Reports on the files named (or standard input when none) to standard output; exit status 2 when none has a round. */
    public static void main(String[] args) throws IOException {
        AbSummary s = new AbSummary();
        if (args.length == 0) {
            s.read("stdin", new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        for (String a : args) {
            try (Reader r = Files.newBufferedReader(Path.of(a), StandardCharsets.UTF_8)) {
                s.read(a, r);
            }
        }
        if (!s.report(System.out)) {
            System.err.println("no complete A/B round found in " + (args.length == 0 ? "standard input" : String.join(", ", args)));
            System.exit(2);
        }
    }

    /** Reads one harness output; {@code source} keeps its rounds apart from another output's rounds of the same number. */
    public void read(String source, Reader in) throws IOException {
        BufferedReader lines = new BufferedReader(in);
        for (String line; (line = lines.readLine()) != null; ) {
            Matcher m = ROUND.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String label = m.group(3);
            int side = label.equals("on") || label.equals("A") ? 0 : label.equals("off") || label.equals("B") ? 1 : -1;
            if (side < 0) {
                continue;
            }
            long[] pair = runs.computeIfAbsent(m.group(2), k -> new LinkedHashMap<>())
                    .computeIfAbsent(source + "/" + m.group(1), k -> new long[] {-1, -1});
            pair[side] = Long.parseLong(m.group(4));
        }
    }

    /** The ratios (per cent, first over second) of the complete rounds of {@code kind}, in the order read. */
    public double[] ratios(String kind) {
        return runs.getOrDefault(kind, Map.of()).values().stream()
                .filter(p -> p[0] >= 0 && p[1] > 0)
                .mapToDouble(p -> 100.0 * p[0] / p[1])
                .toArray();
    }

    /** Prints one line per kind with complete rounds; false when there were none. */
    public boolean report(PrintStream out) {
        boolean any = false;
        for (String kind : runs.keySet()) {
            double[] r = ratios(kind);
            if (r.length == 0) {
                continue;
            }
            any = true;
            Summary s = Summary.of(r);
            out.printf(Locale.ROOT, "%s: %d rounds, median ratio %.1f %% (95 %% interval %.1f-%.1f %%), quartiles %.1f-%.1f %%,"
                            + " range %.1f-%.1f %%, %d below 90 %%%n",
                    kind, r.length, s.median, s.low, s.high, s.q1, s.q3, s.min, s.max, s.below90);
        }
        return any;
    }

    /**
     * The median of {@code values} and its percentile-bootstrap 95 % interval (10,000 resamples, a fixed seed so that a
     * report is reproducible), quartiles, range and how many values lie below 90.
     */
    record Summary(double median, double low, double high, double q1, double q3, double min, double max, int below90) {
        static Summary of(double[] values) {
            if (values.length == 0) {
                throw new IllegalArgumentException("no values to summarise");
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            double[] medians = new double[RESAMPLES];
            double[] sample = new double[values.length];
            SplittableRandom random = new SplittableRandom(20261130L);
            for (int i = 0; i < RESAMPLES; i++) {
                for (int j = 0; j < sample.length; j++) {
                    sample[j] = values[random.nextInt(values.length)];
                }
                Arrays.sort(sample);
                medians[i] = quantile(sample, 0.5);
            }
            Arrays.sort(medians);
            int below = (int) Arrays.stream(values).filter(v -> v < 90).count();
            return new Summary(quantile(sorted, 0.5), quantile(medians, 0.025), quantile(medians, 0.975),
                    quantile(sorted, 0.25), quantile(sorted, 0.75), sorted[0], sorted[sorted.length - 1], below);
        }

        /** The {@code q} quantile of sorted values, interpolated between the two nearest. */
        static double quantile(double[] sorted, double q) {
            double pos = q * (sorted.length - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(lo + 1, sorted.length - 1);
            return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
        }
    }
}
