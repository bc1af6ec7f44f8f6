package dev.switchboard.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Context;
import dev.switchboard.api.DefinitionException;
import dev.switchboard.api.Fallback;
import dev.switchboard.api.Model;
import dev.switchboard.api.SystemMessage;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every definition error is raised by create(), naming interface, method and problem. */
class DefinitionErrorsTest {
    private final Switchboard sb = Fixtures.mock("""
            deployments:
              Configured.ask:
                messages: [{ role: user, content: "{{topic}} and {{missing}}" }]
            """);

    @AfterEach
    void close() {
        sb.close();
    }

    @Model("mock/m")
    interface MissingVar {
        @UserMessage("{{question}}")
        String ask(@Var("q") String q);
    }

    @Model("mock/m")
    interface VoidReturn {
        @UserMessage("hi")
        void ask();
    }

    @Model("mock/m")
    interface StreamOfInts {
        @UserMessage("hi")
        Stream<Integer> ask();
    }

    @Model("nowhere/m")
    interface UnknownProvider {
        @UserMessage("hi")
        String ask();
    }

    @Model("mock/m")
    interface UnknownFallback {
        @UserMessage("hi")
        @Fallback("ghost/x")
        String ask();
    }

    @Model("no-slash")
    interface BadModelRef {
        @UserMessage("hi")
        String ask();
    }

    interface NoModel {
        @UserMessage("hi")
        String ask();
    }

    @Model("mock/m")
    interface TwoPlainParameters {
        String ask(String a, String b);
    }

    @Model("mock/m")
    interface NoMessages {
        String ask(@Context("locale") String locale);
    }

    @Model("mock/m")
    interface BadTemplate {
        @SystemMessage("{{ unclosed")
        String ask(String q);
    }

    @Model("mock/m")
    interface Configured {
        String ask(@Var("topic") String topic);
    }

    @Model("mock/m")
    interface ObjectReturn {
        @UserMessage("hi")
        List<Object> ask();
    }

    static class NotAnInterface {
    }

    @Test
    void templateVariableWithoutParameter() {
        assertThatThrownBy(() -> sb.create(MissingVar.class)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("MissingVar.ask").hasMessageContaining("{{question}}").hasMessageContaining("@Var(\"question\")");
    }

    @Test
    void configuredTemplateVariableWithoutParameter() {
        assertThatThrownBy(() -> sb.create(Configured.class)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("Configured.ask").hasMessageContaining("{{missing}}");
    }

    @Test
    void unsupportedReturnTypes() {
        assertThatThrownBy(() -> sb.create(VoidReturn.class)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("VoidReturn.ask").hasMessageContaining("unsupported return type void");
        assertThatThrownBy(() -> sb.create(StreamOfInts.class)).hasMessageContaining("Stream<String>");
        assertThatThrownBy(() -> sb.create(ObjectReturn.class)).hasMessageContaining("ObjectReturn.ask").hasMessageContaining("no fixed JSON shape");
    }

    @Test
    void modelNamingAnUnknownProvider() {
        assertThatThrownBy(() -> sb.create(UnknownProvider.class)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("UnknownProvider.ask").hasMessageContaining("provider 'nowhere'").hasMessageContaining("mock");
        assertThatThrownBy(() -> sb.create(UnknownFallback.class)).hasMessageContaining("@Fallback 'ghost/x'");
        assertThatThrownBy(() -> sb.create(BadModelRef.class)).hasMessageContaining("must be provider/model");
    }

    @Test
    void missingModelOrMessagesOrParameters() {
        assertThatThrownBy(() -> sb.create(NoModel.class)).hasMessageContaining("NoModel.ask: no model");
        assertThatThrownBy(() -> sb.create(TwoPlainParameters.class)).hasMessageContaining("parameter 1 (String) needs @Var or @Context");
        assertThatThrownBy(() -> sb.create(NoMessages.class)).hasMessageContaining("NoMessages.ask: no messages");
        assertThatThrownBy(() -> sb.create(BadTemplate.class)).hasMessageContaining("BadTemplate.ask: @SystemMessage: unclosed '{{'");
    }

    @Test
    void notAnInterface() {
        assertThatThrownBy(() -> sb.create(NotAnInterface.class)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("is not an interface");
    }
}
