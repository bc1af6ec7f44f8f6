package dev.switchboard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.api.Completion;
import dev.switchboard.api.ConfigException;
import dev.switchboard.api.Context;
import dev.switchboard.api.Deployment;
import dev.switchboard.api.Model;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import dev.switchboard.runtime.routing.Routing;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Routing rule semantics: every operator, precedence, default, sticky splits, validation. */
class RoutingTest {

    private static final Switchboard SB = Fixtures.mock("""
            deployments:
              r:
                default_variant: main
                variants:
                  main:    { model: mock/main }
                  staging: { model: mock/staging }
                  eu:      { model: mock/eu }
                  pro:     { model: mock/pro }
                  beta:    { model: mock/beta }
                  big:     { model: mock/big }
                  small:   { model: mock/small }
                  vip:     { model: mock/vip }
                  a:       { model: mock/a }
                  b:       { model: mock/b }
                routing:
                  - { name: staging, when: { environment: staging }, variant: staging }
                  - { name: eu, when: { locale: { in: [de, fr] } }, variant: eu }
                  - { name: pro, when: { all: [ { plan: { eq: pro } }, { region: { not_in: [cn] } } ] }, variant: pro }
                  - { name: beta, when: { email: { regex: '.*@beta\\.example\\.com' } }, variant: beta }
                  - { name: vip, when: { any: [ { tier: gold }, { user_id: { prefix: "vip-" } } ] }, variant: vip }
                  - { name: big, when: { seats: { gte: 100 } }, variant: big }
                  - { name: small, when: { seats: { lt: 5 }, trial: { exists: true } }, variant: small }
                  - { name: ab, when: { not: { environment: test } }, split: { key: user_id, weights: { a: 70, b: 30 } } }
            """);

    @AfterAll
    static void close() {
        SB.close();
    }

    private static String route(Map<String, String> ctx) {
        return SB.config().deployments().get("r").routing().route(ctx);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "environment=staging,locale=de | staging",
        "locale=de                     | eu",
        "locale=fr,environment=prod    | eu",
        "locale=it,environment=test    | main",
        "plan=pro,region=us,environment=test | pro",
        "plan=pro,region=cn,environment=test | main",
        "email=ann@beta.example.com,environment=test | beta",
        "email=ann@beta.example.com.evil,environment=test | main",
        "tier=gold,environment=test    | vip",
        "user_id=vip-42,environment=test | vip",
        "seats=100,environment=test    | big",
        "seats=99.5,environment=test   | main",
        "seats=abc,environment=test    | main",
        "seats=3,trial=yes,environment=test | small",
        "seats=3,environment=test      | main",
        "environment=test              | main",
        "''                            | main",
    })
    void firstMatchingRuleWins(String context, String expected) {
        Map<String, String> ctx = new HashMap<>();
        for (String kv : context.split(",")) {
            if (kv.contains("=")) {
                ctx.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        assertThat(route(ctx)).isEqualTo(expected);
    }

    @Test
    void splitIsStickyDeterministicAndProportional() {
        int a = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            String v = route(Map.of("user_id", "user-" + i));
            assertThat(route(Map.of("user_id", "user-" + i))).isEqualTo(v);
            if (v.equals("a")) {
                a++;
            }
        }
        assertThat(a / (double) n).isCloseTo(0.70, within(0.02));
        // Fixed expectations: the bucket of a value never depends on the process, so these never change.
        assertThat(java.util.stream.IntStream.range(0, 10).mapToObj(i -> route(Map.of("user_id", "u" + i)))
                .reduce("", String::concat)).isEqualTo(EXPECTED_FIRST_TEN);
    }

    /** Recorded once; a change here means users would be re-bucketed across a release. */
    private static final String EXPECTED_FIRST_TEN = "abaabbaaaa";

    @Test
    void splitWithoutItsKeyFallsThroughToTheDefault() {
        assertThat(route(Map.of("environment", "prod"))).isEqualTo("main");
    }

    @Model("mock/annotated")
    @Deployment("svc")
    interface Svc {
        @Deployment("r")
        @UserMessage("{{q}}")
        Completion<String> ask(@Var("q") String q, @Context("locale") String locale, @Context("environment") String env);
    }

    @Test
    void annotatedContextParametersRouteAndTheAnswerSaysWhichVariant() {
        Svc svc = SB.create(Svc.class);
        Completion<String> eu = svc.ask("hi", "de", "prod");
        assertThat(eu.variant()).isEqualTo("eu");
        assertThat(eu.model()).isEqualTo("eu");
        assertThat(eu.version()).isNotBlank();
        Completion<String> main = svc.ask("hi", null, "test");
        assertThat(main.variant()).isEqualTo("main");
        Routing.Decision why = SB.engine().explain(dev.switchboard.runtime.engine.Invocation.builder("r")
                .context(Map.of("locale", "fr")).build());
        assertThat(why.ruleName()).isEqualTo("eu");
        assertThat(why.reason()).contains("rule 'eu' matched");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "routing: [ { when: { a: b }, variant: nope } ]                       | deployments.r.routing[0].variant: unknown variant 'nope'",
        "routing: [ { when: { a: { regex: '[' } }, variant: v1 } ]            | deployments.r.routing[0].when.a.regex: bad regex",
        "routing: [ { split: { key: u, weights: { v1: 50, v2: 40 } } } ]      | deployments.r.routing[0].split.weights: weights must sum to 100, they sum to 90",
        "routing: [ { when: { a: { near: 3 } }, variant: v1 } ]               | deployments.r.routing[0].when.a.near: unknown operator",
        "routing: [ { when: { a: { lt: ten } }, variant: v1 } ]               | deployments.r.routing[0].when.a.lt: must be a number",
        "routing: [ { when: { a: { in: [] } }, variant: v1 } ]                | deployments.r.routing[0].when.a.in: must be a non-empty list",
        "routing: [ { when: { a: b } } ]                                      | deployments.r.routing[0]: a rule needs either variant or split",
        "routing: [ { name: x, variant: v1 }, { name: x, variant: v2 } ]      | deployments.r.routing[1].name: rule name 'x' is used twice",
        "routing: [ { split: { key: u, weights: { v9: 100 } } } ]             | deployments.r.routing[0].split.weights.v9: unknown variant 'v9'",
        "routing: { a: b }                                                    | deployments.r.routing: must be a list of rules",
    })
    void invalidRulesAreRejectedWhenLoaded(String routing, String expected) {
        String yaml = "providers: { mock: { type: mock } }\ndeployments:\n  r:\n    variants: { v1: { model: mock/a }, v2: { model: mock/b } }\n    " + routing;
        assertThatThrownBy(() -> Fixtures.builder(yaml).build()).isInstanceOf(ConfigException.class).hasMessageContaining(expected);
    }
}
