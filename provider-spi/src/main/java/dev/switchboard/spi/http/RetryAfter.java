package dev.switchboard.spi.http;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Parses a {@code Retry-After} header (RFC 9110): delay seconds or an HTTP date. Thread-safe. */
public final class RetryAfter {
    private RetryAfter() {
    }

    /** The delay the header asks for; empty when absent or unparseable; never negative. */
    public static Optional<Duration> parse(String value) {
        return parse(value, Clock.systemUTC());
    }

    /** As {@link #parse(String)}, with a clock for the date form. */
    public static Optional<Duration> parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            double seconds = Double.parseDouble(v);
            if (!Double.isFinite(seconds) || seconds < 0) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofMillis((long) Math.min(seconds * 1000, Long.MAX_VALUE / 2)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /** The delay asked for by {@code Retry-After} or {@code retry-after-ms} of a result. */
    public static Optional<Duration> of(HttpResult result) {
        Optional<String> ms = result.header("retry-after-ms");
        if (ms.isPresent()) {
            try {
                return Optional.of(Duration.ofMillis(Math.max(0, (long) Double.parseDouble(ms.get().trim()))));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        return result.header("retry-after").flatMap(RetryAfter::parse);
    }
}
