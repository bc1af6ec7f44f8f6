package dev.switchboard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Inject;
import com.google.inject.Injector;
import dev.switchboard.api.Model;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import org.junit.jupiter.api.Test;

class GuiceModuleTest {

    @Model("mock/m")
    public interface Greeter {
        @UserMessage("Hello {{name}}")
        String greet(@Var("name") String name);
    }

    @Model("mock/m")
    public interface Broken {
        @UserMessage("{{nobody}}")
        String greet();
    }

    static final class Service {
        final Greeter greeter;

        @Inject
        Service(Greeter greeter) {
            this.greeter = greeter;
        }
    }

    @Test
    void injectsPromptInterfaces() {
        Injector injector = Guice.createInjector(SwitchboardModule.of(Fixtures.builder("providers: { mock: { type: mock } }"), Greeter.class));
        Service s = injector.getInstance(Service.class);
        assertThat(s.greeter.greet("Ada")).isEqualTo("Hello Ada");
        assertThat(injector.getInstance(Greeter.class)).isSameAs(s.greeter);
        assertThat(injector.getInstance(Switchboard.class).create(Greeter.class)).isSameAs(s.greeter);
    }

    @Test
    void definitionErrorsFailInjectorCreation() {
        assertThatThrownBy(() -> Guice.createInjector(SwitchboardModule.of(Fixtures.builder("providers: { mock: { type: mock } }"), Broken.class)))
                .isInstanceOf(CreationException.class)
                .hasMessageContaining("Broken.greet").hasMessageContaining("{{nobody}}");
    }
}
