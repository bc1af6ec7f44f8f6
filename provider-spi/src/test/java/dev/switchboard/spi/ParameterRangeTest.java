package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Whole-number parameters never wrap: a value past 64 bits (or a double past the long range) is refused. */
class ParameterRangeTest {

    private static ChatRequest.Builder builder() {
        return ChatRequest.builder("m").message(ChatMessage.user("hi"));
    }

    @Test
    void integersPast64BitsAreRefusedNotWrapped() {
        BigInteger twoTo64 = BigInteger.ONE.shiftLeft(64);
        assertThatThrownBy(() -> builder().parameter("seed", twoTo64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("seed is out of range");
        assertThatThrownBy(() -> builder().parameter("max_tokens", twoTo64.add(BigInteger.valueOf(100))))
                .hasMessageStartingWith("max_tokens is out of range");
        assertThatThrownBy(() -> builder().parameter("n", 1e30)).hasMessageStartingWith("n is out of range");
    }

    @Test
    void integersWithinRangeAreKept() {
        ChatRequest r = builder().parameter("seed", BigInteger.valueOf(Long.MAX_VALUE)).parameter("max_tokens", 4096.0)
                .parameter("n", 2L).build();
        assertThat(r.seed()).isEqualTo(Long.MAX_VALUE);
        assertThat(r.maxTokens()).isEqualTo(4096);
        assertThat(r.n()).isEqualTo(2);
    }
}
