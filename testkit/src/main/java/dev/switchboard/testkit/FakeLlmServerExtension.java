package dev.switchboard.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstantiationAwareExtension;

import java.util.Objects;

/**
 * JUnit 5 extension that gives every test a fresh, started {@link FakeLlmServer} and closes it afterwards.
 *
 * <pre>{@code
 * @ExtendWith(FakeLlmServerExtension.class)
 * class MyClientTest {
 *     @Test
 *     void retriesOn429(FakeLlmServer server) {
 *         server.enqueue(Reply.status(429), Reply.text("ok"));
 *         ...
 *     }
 * }
 *
 * class OtherTest {
 *     @RegisterExtension
 *     final FakeLlmServerExtension fake = new FakeLlmServerExtension();
 *
 *     @Test
 *     void works() {
 *         fake.server().enqueue(Reply.text("hi"));
 *     }
 * }
 * }</pre>
 *
 * <p>Within one test, every {@code FakeLlmServer} parameter (test constructor, {@code @BeforeEach},
 * {@code @Test}, {@code @AfterEach}) and {@link #server()} are the same instance, started before the first use
 * and closed after the test. A parameter of a {@code @BeforeAll}/{@code @AfterAll} method, or of the
 * constructor under {@code @TestInstance(PER_CLASS)}, gets a server that lives for the whole class; once such
 * a class-level server exists, the tests of that class share it instead of getting fresh ones.
 *
 * <p>Thread-safety: the extension itself is stateless apart from the server of the current test, kept for
 * {@link #server()}; with parallel test execution use parameter injection rather than {@link #server()}.
 */
public final class FakeLlmServerExtension
        implements BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver,
        TestInstantiationAwareExtension {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(FakeLlmServerExtension.class);
    private static final String KEY = "server";

    private final ServerConfig config;
    private volatile FakeLlmServer current;

    /** Starts servers with {@link ServerConfig#defaults()}. */
    public FakeLlmServerExtension() {
        this(ServerConfig.defaults());
    }

    /** @param config settings for every server this extension starts */
    public FakeLlmServerExtension(ServerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * @return the server of the currently running test
     * @throws IllegalStateException outside a test
     */
    public FakeLlmServer server() {
        FakeLlmServer s = current;
        if (s == null) {
            throw new IllegalStateException("no FakeLlmServer: server() is only available while a test runs");
        }
        return s;
    }

    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD; // constructor injection shares the test method's server
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        current = serverFor(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        current = null;
        closeStored(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeStored(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == FakeLlmServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return serverFor(extensionContext);
    }

    private FakeLlmServer serverFor(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(KEY, k -> FakeLlmServer.start(config),
                FakeLlmServer.class);
    }

    private static void closeStored(ExtensionContext context) {
        FakeLlmServer s = context.getStore(NAMESPACE).remove(KEY, FakeLlmServer.class);
        if (s != null) {
            s.close();
        }
    }
}
