package dev.switchboard.runtime;

import com.google.inject.AbstractModule;
import java.util.List;
import java.util.Objects;

/**
 * A Guice module that makes prompt interfaces injectable.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(
 *     SwitchboardModule.of(Switchboard.builder().config(Path.of("switchboard.yaml")), SupportBot.class));
 * SupportBot bot = injector.getInstance(SupportBot.class);
 * }</pre>
 *
 * <p>Binds {@link Switchboard} as a singleton (built when the injector is created, so configuration
 * and interface errors fail start-up) and each listed interface to its implementation.
 */
public final class SwitchboardModule extends AbstractModule {
    private final Switchboard.Builder builder;
    private final Switchboard instance;
    private final List<Class<?>> interfaces;

    private SwitchboardModule(Switchboard.Builder builder, Switchboard instance, List<Class<?>> interfaces) {
        this.builder = builder;
        this.instance = instance;
        this.interfaces = interfaces;
    }

    /** A module building its {@link Switchboard} from {@code builder}, binding {@code interfaces}. */
    public static SwitchboardModule of(Switchboard.Builder builder, Class<?>... interfaces) {
        return new SwitchboardModule(Objects.requireNonNull(builder, "builder"), null, List.of(interfaces));
    }

    /** A module over an existing {@link Switchboard}, binding {@code interfaces}. */
    public static SwitchboardModule of(Switchboard switchboard, Class<?>... interfaces) {
        return new SwitchboardModule(null, Objects.requireNonNull(switchboard, "switchboard"), List.of(interfaces));
    }

    @Override
    protected void configure() {
        if (instance != null) {
            bind(Switchboard.class).toInstance(instance);
        } else {
            bind(Switchboard.class).toProvider(builder::build).asEagerSingleton();
        }
        for (Class<?> type : interfaces) {
            bindInterface(type);
        }
    }

    private <T> void bindInterface(Class<T> type) {
        com.google.inject.Provider<Switchboard> sb = getProvider(Switchboard.class);
        bind(type).toProvider(() -> sb.get().create(type)).asEagerSingleton();
    }
}
