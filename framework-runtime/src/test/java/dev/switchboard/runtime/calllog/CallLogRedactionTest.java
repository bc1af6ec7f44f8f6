package dev.switchboard.runtime.calllog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CallLogRedactionTest {
    private final Redactor r = Redactor.builtIn();

    @Test
    void emailAddressesAreRedacted() {
        assertThat(r.apply("write to ann.lee+x@mail.example.co.uk today", List.of())).isEqualTo("write to [EMAIL] today");
    }

    @Test
    void cardNumbersPassingLuhnAreRedactedOthersKept() {
        assertThat(r.apply("card 4111 1111 1111 1111 ok", List.of())).isEqualTo("card [CARD] ok");
        assertThat(r.apply("card 5500-0000-0000-0004.", List.of())).isEqualTo("card [CARD].");
        assertThat(r.apply("order 4111111111111112", List.of())).isEqualTo("order 4111111111111112");
        assertThat(r.apply("phone 0612345678", List.of())).isEqualTo("phone 0612345678");
    }

    @Test
    void bearerTokensAndSkKeysAreRedacted() {
        assertThat(r.apply("Authorization: Bearer abcdefgh12345678", List.of())).isEqualTo("Authorization: Bearer [SECRET]");
        assertThat(r.apply("key sk-proj-ABCDEFGHIJKLMNOPqrstu", List.of())).isEqualTo("key [SECRET]");
    }

    @Test
    void bearerInAnyCaseAnywhereIsFoundAndLookalikesAreNot() {
        assertThat(r.apply("bb Bb BEARER abcdefgh12345678", List.of())).isEqualTo("bb Bb Bearer [SECRET]");
        assertThat(r.apply("bEaReR abcdefgh12345678", List.of())).isEqualTo("Bearer [SECRET]");
        assertThat(Redactor.containsIgnoreCase("a Bear, a beaRER", "bearer")).isTrue(); // at the very end
        assertThat(Redactor.containsIgnoreCase("bearebearBEARE", "bearer")).isFalse();
        assertThat(Redactor.containsIgnoreCase("bea", "bearer")).isFalse();
        assertThat(Redactor.containsIgnoreCase("b".repeat(10_000) + "Bearer", "bearer")).isTrue();
    }

    @Test
    void customRulesApplyAfterBuiltIns() {
        Redactor custom = r.with("\\bACC-\\d{8}\\b", "[ACCOUNT]").with("(?i)secret project \\w+");
        assertThat(custom.apply("ACC-12345678 of a@b.io about Secret Project Apollo", List.of()))
                .isEqualTo("[ACCOUNT] of [EMAIL] about [REDACTED]");
    }

    @Test
    void configuredSecretsAreMaskedEvenWithoutRules() {
        assertThat(Redactor.none().apply("failed with key=my-api-key-123 and a@b.io", List.of("my-api-key-123")))
                .isEqualTo("failed with key=**** and a@b.io");
        assertThat(Redactor.maskSecrets("short abc stays", List.of("abc"))).isEqualTo("short abc stays");
        assertThat(r.apply(null, List.of("x"))).isNull();
    }

    @Test
    void luhnChecksum() {
        assertThat(Redactor.luhn("4111111111111111")).isTrue();
        assertThat(Redactor.luhn("4111111111111112")).isFalse();
    }
}
