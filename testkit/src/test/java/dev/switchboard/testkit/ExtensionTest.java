package dev.switchboard.testkit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExtensionTest {

    /** Servers seen by the tests below, to prove each test got a fresh one that was closed afterwards. */
    private static final List<FakeLlmServer> SEEN = new ArrayList<>();

    @AfterAll
    static void everyServerWasClosed() {
        assertThat(SEEN).hasSizeGreaterThanOrEqualTo(5).allMatch(FakeLlmServer::isClosed);
        assertThat(SEEN).doesNotHaveDuplicates();
    }

    @Nested
    @ExtendWith(FakeLlmServerExtension.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class ParameterInjection {

        private final FakeLlmServer fromConstructor;
        private FakeLlmServer fromBeforeEach;

        ParameterInjection(FakeLlmServer server) {
            this.fromConstructor = server;
        }

        @BeforeEach
        void setUp(FakeLlmServer server) {
            fromBeforeEach = server;
        }

        @Test
        @Order(1)
        void injectsAWorkingServerSharedWithinTheTest(FakeLlmServer server) throws Exception {
            SEEN.add(server);
            assertThat(server).isSameAs(fromConstructor).isSameAs(fromBeforeEach);
            server.enqueue(Reply.text("from the extension"));

            HttpResponse<String> r = new Http().post(server, "/v1/chat/completions", Http.chat("x", false));

            assertThat(Http.json(r.body()).at("/choices/0/message/content").asText()).isEqualTo("from the extension");
        }

        @Test
        @Order(2)
        void nextTestGetsAFreshServer(FakeLlmServer server) {
            SEEN.add(server);
            assertThat(server.isClosed()).isFalse();
            assertThat(server.requests()).isEmpty();
            assertThat(SEEN.get(SEEN.size() - 2)).isNotSameAs(server);
            assertThat(SEEN.get(SEEN.size() - 2).isClosed()).isTrue();
        }
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class RegisteredField {

        @RegisterExtension
        final FakeLlmServerExtension fake = new FakeLlmServerExtension(
                ServerConfig.builder().embeddingDimensions(3).build());

        @Test
        @Order(1)
        void serverIsAvailableInTheTestAndUsesTheConfig(FakeLlmServer injected) throws Exception {
            FakeLlmServer server = fake.server();
            SEEN.add(server);
            assertThat(injected).isSameAs(server);

            HttpResponse<String> r = new Http().post(server, "/v1/embeddings", "{\"input\":\"x\"}");

            assertThat(Http.json(r.body()).at("/data/0/embedding").size()).isEqualTo(3);
        }

        @Test
        @Order(2)
        void eachTestHasItsOwnServer() {
            SEEN.add(fake.server());
            assertThat(fake.server().requestCount()).isZero();
            assertThat(SEEN.get(SEEN.size() - 2).isClosed()).isTrue();
        }
    }

    @Nested
    @ExtendWith(FakeLlmServerExtension.class)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class ClassScopedViaBeforeAll {

        private FakeLlmServer shared;

        @BeforeAll
        void start(FakeLlmServer server) {
            shared = server;
            SEEN.add(server);
        }

        @Test
        @Order(1)
        void testsShareTheClassLevelServer(FakeLlmServer server) throws Exception {
            assertThat(server).isSameAs(shared);
            new Http().post(server, "/v1/chat/completions", Http.chat("x", false));
        }

        @Test
        @Order(2)
        void stateSurvivesBetweenTests(FakeLlmServer server) {
            assertThat(server).isSameAs(shared);
            assertThat(server.isClosed()).isFalse();
            assertThat(server.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void serverOutsideATestIsAnError() {
        assertThatThrownBy(() -> new FakeLlmServerExtension().server())
                .isInstanceOf(IllegalStateException.class);
    }
}
