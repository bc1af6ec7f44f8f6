package dev.switchboard.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link RetrySpec}'s written-out equality: every component counts, and equal specs hash alike. */
class RetrySpecTest {
    private static RetrySpec spec(int count, Set<Integer> codes, long backoffMs, long maxMs, boolean connection) {
        return new RetrySpec(count, codes, Duration.ofMillis(backoffMs), Duration.ofMillis(maxMs), connection);
    }

    @Test
    void specsWithTheSameComponentsAreEqualAndHashAlike() {
        RetrySpec a = spec(2, Set.of(429, 503), 100, 1_000, true);
        RetrySpec b = spec(2, Set.of(503, 429), 100, 1_000, true);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(null).isNotEqualTo("retry");
    }

    @Test
    void eachComponentTellsSpecsApart() {
        RetrySpec a = spec(2, Set.of(429, 503), 100, 1_000, true);
        for (RetrySpec other : List.of(spec(3, Set.of(429, 503), 100, 1_000, true), spec(2, Set.of(429), 100, 1_000, true),
                spec(2, Set.of(429, 503), 150, 1_000, true), spec(2, Set.of(429, 503), 100, 2_000, true),
                spec(2, Set.of(429, 503), 100, 1_000, false))) {
            assertThat(a).isNotEqualTo(other);
            assertThat(other).isNotEqualTo(a);
        }
    }
}
