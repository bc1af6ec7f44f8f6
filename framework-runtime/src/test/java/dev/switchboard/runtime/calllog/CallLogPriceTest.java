package dev.switchboard.runtime.calllog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Usage;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallLogPriceTest {

    @Test
    void theShippedTableIsDatedAndCoversCommonModels() {
        PriceTable t = PriceTable.defaults();
        assertThat(t.asOf()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(t.prices()).containsKeys("gpt-4o", "gpt-4o-mini", "claude-3-5-haiku", "gemini-2.5-flash", "command-r",
                "mistral-large", "llama-3.3-70b-versatile", "deepseek-chat");
    }

    @Test
    void datedAndAliasedModelNamesFindTheirBaseModelsPrice() {
        PriceTable t = PriceTable.defaults();
        assertThat(t.find(null, "gpt-4o-2024-08-06")).isEqualTo(t.prices().get("gpt-4o"));
        assertThat(t.find("openai", "gpt-4o-mini-2024-07-18")).isEqualTo(t.prices().get("gpt-4o-mini"));
        assertThat(t.find(null, "claude-3-5-haiku-latest")).isEqualTo(t.prices().get("claude-3-5-haiku"));
        assertThat(t.find(null, "GPT-4O")).isEqualTo(t.prices().get("gpt-4o"));
        assertThat(t.find(null, "gpt-4oxyz")).isNull();
        assertThat(t.find(null, "unknown-model")).isNull();
    }

    @Test
    void costChargesCachedInputAtTheCachedPrice() {
        ModelPrice gpt4o = ModelPrice.of(2.50, 10.00, 1.25);
        // (800 * 2.50 + 200 * 1.25 + 500 * 10.00) / 1M
        assertThat(gpt4o.cost(new Usage(1000, 500, 200))).isEqualByComparingTo("0.00725");
        assertThat(ModelPrice.of(1, 2, null).cost(new Usage(1_000_000, 0, 500_000))).isEqualByComparingTo("1");
        assertThat(gpt4o.cost(Usage.NONE)).isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void overridesReplaceAndAddPricesIncludingPerProviderEntry() {
        PriceTable t = PriceTable.defaults().overriddenBy(PriceTable.parse("""
                gpt-4o: { input: 5, output: 15 }
                azure-eu/my-gpt4o: { input: 2.75, output: 11, cached_input: 1.375 }
                """));
        assertThat(t.find(null, "gpt-4o").input()).isEqualByComparingTo("5");
        assertThat(t.find("azure-eu", "my-gpt4o").output()).isEqualByComparingTo("11");
        assertThat(t.find("azure-us", "my-gpt4o")).isNull();
        assertThat(t.asOf()).isEqualTo(PriceTable.defaults().asOf());
        // an entry-qualified request model wins over the model the provider reports
        assertThat(t.cost("azure-eu", "my-gpt4o", "gpt-4o-2024-08-06", Usage.of(1_000_000, 0))).isEqualByComparingTo("2.75");
        assertThat(t.cost("openai", "gpt-4o", "gpt-4o-2024-08-06", Usage.of(1_000_000, 0))).isEqualByComparingTo("5");
        assertThat(t.cost("x", "nope", null, Usage.of(1, 1))).isNull();
    }

    @Test
    void costsAskedAgainAreTheSameWhateverWasPricedInBetween() {
        PriceTable t = PriceTable.defaults().overriddenBy(PriceTable.parse("azure-eu/my-gpt4o: { input: 2, output: 8 }"));
        Usage u = Usage.of(1_000_000, 0);
        for (int round = 0; round < 3; round++) { // the second and third rounds are answered from what was remembered
            assertThat(t.cost("azure-eu", "my-gpt4o", "gpt-4o-2024-08-06", u)).isEqualByComparingTo("2");
            assertThat(t.cost("azure-us", "my-gpt4o", "gpt-4o-2024-08-06", u)).isEqualByComparingTo(t.prices().get("gpt-4o").input());
            assertThat(t.cost("azure-us", "my-gpt4o", null, u)).isNull();
            assertThat(t.cost(null, "GPT-4o-mini", null, u)).isEqualByComparingTo(t.prices().get("gpt-4o-mini").input());
            assertThat(t.cost("openai", null, "gpt-4o-mini", u)).isEqualByComparingTo(t.prices().get("gpt-4o-mini").input());
            assertThat(t.cost(null, null, null, u)).isNull();
        }
    }

    @Test
    void invalidPricesAreRejectedNamingTheModel() {
        assertThatThrownBy(() -> PriceTable.parse("m: { input: 1 }")).hasMessageContaining("'m'");
        assertThatThrownBy(() -> PriceTable.parse("m: { input: -1, output: 1 }")).hasMessageContaining("'m'");
        assertThat(PriceTable.of(Map.of("M", ModelPrice.of(1, 1, null))).find(null, "m")).isNotNull();
        assertThat(PriceTable.fromNode(null).prices()).isEmpty();
    }
}
