package dev.switchboard.runtime.proxy;

import dev.switchboard.api.DefinitionException;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.implementation.MethodDelegation;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Generates a class implementing a prompt interface with ByteBuddy: each abstract method delegates to
 * its {@link MethodHandler}; default methods keep their bodies; {@code equals}/{@code hashCode} are
 * identity and {@code toString} names the interface. The class is defined in the interface's own
 * package (so package-private interfaces work) through a private lookup, or in a child class loader
 * when the interface's module does not open its package. Thread-safe.
 */
final class ProxyGenerator {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private ProxyGenerator() {
    }

    static <T> T generate(Class<T> type, Map<Method, MethodHandler> handlers) {
        DynamicType.Builder<Object> b = new ByteBuddy()
                .subclass(Object.class)
                .implement(type)
                .name(type.getName() + "$Switchboard$" + COUNTER.incrementAndGet())
                .modifiers(Visibility.PUBLIC, net.bytebuddy.description.modifier.TypeManifestation.FINAL);
        for (Map.Entry<Method, MethodHandler> e : handlers.entrySet()) {
            b = b.method(ElementMatchers.is(e.getKey())).intercept(MethodDelegation.to(e.getValue()));
        }
        b = b.method(ElementMatchers.isToString()).intercept(FixedValue.value(type.getSimpleName() + "(switchboard)"));
        try (DynamicType.Unloaded<Object> unloaded = b.make()) {
            Class<?> loaded = unloaded.load(type.getClassLoader(), strategy(type)).getLoaded();
            return type.cast(loaded.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new DefinitionException(type.getName() + ": cannot generate the implementation: " + e);
        }
    }

    private static ClassLoadingStrategy<ClassLoader> strategy(Class<?> type) {
        try {
            return ClassLoadingStrategy.UsingLookup.of(MethodHandles.privateLookupIn(type, MethodHandles.lookup()));
        } catch (IllegalAccessException e) {
            if (!Modifier.isPublic(type.getModifiers())) {
                throw new DefinitionException(type.getName() + " is not public and its package is not open to dev.switchboard.runtime");
            }
            return ClassLoadingStrategy.Default.WRAPPER;
        }
    }
}
