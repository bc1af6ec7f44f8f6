package dev.switchboard.runtime.providers.mock;

import dev.switchboard.spi.InvalidProviderConfigException;
import dev.switchboard.spi.ProviderConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mock} provider's options, validated. Immutable.
 *
 * @param replies      fixed replies, cycled; empty to echo the last user message
 * @param prefix       text put before an echoed message
 * @param latency      delay before answering (and before the first chunk)
 * @param chunkDelay   delay between stream chunks
 * @param failures     HTTP statuses returned by the first calls, in order, before answering normally
 * @param failRate     probability that a call fails with {@code failStatus} after the scripted failures
 * @param failStatus   status of random failures
 * @param seed         seed of the random failures
 */
record MockSettings(List<String> replies, String prefix, Duration latency, Duration chunkDelay, List<Integer> failures,
                    double failRate, int failStatus, long seed) {

    static MockSettings from(ProviderConfig c) {
        List<String> replies = new ArrayList<>();
        Object r = c.options().get("replies");
        if (r instanceof List<?> list) {
            list.forEach(o -> replies.add(String.valueOf(o)));
        } else if (r != null) {
            throw new InvalidProviderConfigException("replies", "replies must be a list of strings");
        }
        String reply = c.stringOption("reply", null);
        if (reply != null) {
            replies.add(0, reply);
        }
        List<Integer> failures = new ArrayList<>();
        Object f = c.options().get("failures");
        if (f instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof Number n) || n.intValue() < 400 || n.intValue() > 599) {
                    throw new InvalidProviderConfigException("failures", "failures must be a list of HTTP error statuses (400-599), found " + o);
                }
                failures.add(n.intValue());
            }
        } else if (f != null) {
            throw new InvalidProviderConfigException("failures", "failures must be a list of HTTP error statuses");
        }
        double rate;
        try {
            rate = Double.parseDouble(c.stringOption("fail_rate", "0"));
        } catch (NumberFormatException e) {
            throw new InvalidProviderConfigException("fail_rate", "fail_rate must be a number between 0 and 1");
        }
        if (rate < 0 || rate > 1) {
            throw new InvalidProviderConfigException("fail_rate", "fail_rate must be between 0 and 1, was " + rate);
        }
        int latency = c.intOption("latency_ms", 0);
        int chunkDelay = c.intOption("chunk_delay_ms", 0);
        if (latency < 0 || chunkDelay < 0) {
            throw new InvalidProviderConfigException(latency < 0 ? "latency_ms" : "chunk_delay_ms", "delays must not be negative");
        }
        return new MockSettings(List.copyOf(replies), c.stringOption("prefix", ""), Duration.ofMillis(latency), Duration.ofMillis(chunkDelay),
                List.copyOf(failures), rate, c.intOption("fail_status", 503), c.intOption("seed", 42));
    }
}
