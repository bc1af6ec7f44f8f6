package dev.switchboard.runtime.deploy;

import static dev.switchboard.runtime.deploy.DeployFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.deploy.DefinitionDiff.Change;
import dev.switchboard.runtime.deploy.DefinitionDiff.Kind;
import org.junit.jupiter.api.Test;

class DefinitionDiffTest {

    @Test
    void reportsAddedRemovedAndChangedPathsWithValues() {
        DefinitionDiff d = DefinitionDiff.between(
                yaml("""
                        model: mock/a
                        parameters: { temperature: 0.2, max_tokens: 100 }
                        messages: [ { role: system, content: "old" }, { role: user, content: "{{q}}" } ]
                        timeout: 20s
                        """),
                yaml("""
                        model: mock/b
                        parameters: { temperature: 0.2, seed: 7 }
                        messages: [ { role: system, content: "new" } ]
                        fallbacks: [ mock/c ]
                        """));
        assertThat(d.changes()).extracting(Change::path, Change::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("model", Kind.CHANGED),
                org.assertj.core.groups.Tuple.tuple("parameters.max_tokens", Kind.REMOVED),
                org.assertj.core.groups.Tuple.tuple("parameters.seed", Kind.ADDED),
                org.assertj.core.groups.Tuple.tuple("messages[0].content", Kind.CHANGED),
                org.assertj.core.groups.Tuple.tuple("messages[1]", Kind.REMOVED),
                org.assertj.core.groups.Tuple.tuple("timeout", Kind.REMOVED),
                org.assertj.core.groups.Tuple.tuple("fallbacks", Kind.ADDED));
        Change model = d.changes().get(0);
        assertThat(model.oldValue().asText()).isEqualTo("mock/a");
        assertThat(model.newValue().asText()).isEqualTo("mock/b");
        assertThat(d.of(Kind.ADDED)).hasSize(2);
        assertThat(d.of(Kind.ADDED).get(1).oldValue().isMissingNode()).isTrue();
    }

    @Test
    void equalDefinitionsHaveNoChangesAndTypeChangesAreChanges() {
        assertThat(DefinitionDiff.between(yaml("model: mock/a"), yaml("model: mock/a")).isEmpty()).isTrue();
        DefinitionDiff d = DefinitionDiff.between(yaml("retry: 3"), yaml("retry: { count: 3 }"));
        assertThat(d.changes()).singleElement().satisfies(c -> {
            assertThat(c.path()).isEqualTo("retry");
            assertThat(c.kind()).isEqualTo(Kind.CHANGED);
            assertThat(c.kind().wireName()).isEqualTo("changed");
        });
    }
}
