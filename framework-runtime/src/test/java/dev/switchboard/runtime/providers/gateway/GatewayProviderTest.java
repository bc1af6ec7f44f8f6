package dev.switchboard.runtime.providers.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.AllAttemptsFailedException;
import dev.switchboard.api.Completion;
import dev.switchboard.api.ConfigException;
import dev.switchboard.api.Model;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.Reply;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The same annotated interface goes through a gateway, chosen in configuration alone. */
class GatewayProviderTest {

    @Model("openai/gpt-4o-mini")
    interface Bot {
        @UserMessage("{{q}}")
        Completion<String> ask(@Var("q") String q);

        @UserMessage("{{q}}")
        Stream<String> stream(@Var("q") String q);
    }

    private final FakeLlmServer gateway = FakeLlmServer.start();
    private final FakeLlmServer vendor = FakeLlmServer.start();

    @AfterEach
    void close() {
        gateway.close();
        vendor.close();
    }

    private static Switchboard build(String yaml) {
        return Switchboard.builder().classpathConfig(null).environment(Map.of()).systemProperties(new Properties()).configYaml(yaml).build();
    }

    @Test
    void callsGoThroughTheGatewayWithTheProviderPrefixedModel() {
        gateway.enqueue(Reply.text("via gateway"), Reply.chunks("streamed", " via gateway"));
        String root = gateway.baseUrl().replaceAll("/v1$", "");
        try (Switchboard sb = build("providers: { openai: { type: gateway, base_url: \"" + root + "\", api_key: gw-key } }")) {
            Bot bot = sb.create(Bot.class);
            Completion<String> c = bot.ask("hello");
            assertThat(c.content()).isEqualTo("via gateway");
            assertThat(c.provider()).isEqualTo("openai");
            try (Stream<String> s = bot.stream("hello")) {
                assertThat(s.collect(Collectors.joining())).isEqualTo("streamed via gateway");
            }
        }
        var req = gateway.requests().get(0);
        assertThat(req.path()).isEqualTo("/v1/chat/completions");
        assertThat(req.json().at("/model").asText()).isEqualTo("openai/gpt-4o-mini");
        assertThat(req.header("authorization")).isEqualTo("Bearer gw-key");
    }

    @Test
    void unreachableGatewayFallsBackToTheVendorDirectly() {
        vendor.enqueue(Reply.text("direct"));
        String deadGateway = gateway.baseUrl();
        gateway.close();
        try (Switchboard sb = build("""
                providers:
                  openai:
                    type: gateway
                    base_url: "%s"
                    direct_fallback: { type: openai, base_url: "%s", api_key: vendor-key }
                """.formatted(deadGateway, vendor.baseUrl()))) {
            assertThat(sb.create(Bot.class).ask("hello").content()).isEqualTo("direct");
        }
        var req = vendor.requests().get(0);
        assertThat(req.json().at("/model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(req.header("authorization")).isEqualTo("Bearer vendor-key");
    }

    @Test
    void aGatewayThatTookTheRequestAndClosedWithoutAnAnswerIsNotBypassed() {
        gateway.setDefault(Fault.closeWithoutAnswer());
        vendor.enqueue(Reply.text("direct"), Reply.text("direct"), Reply.text("direct"));
        String root = gateway.baseUrl().replaceAll("/v1$", "");
        try (Switchboard sb = build("""
                providers:
                  openai:
                    type: gateway
                    base_url: "%s"
                    request_timeout: 5s
                    direct_fallback: { type: openai, base_url: "%s", api_key: vendor-key }
                """.formatted(root, vendor.baseUrl()))) {
            assertThatThrownBy(() -> sb.create(Bot.class).ask("hello")).isInstanceOf(AllAttemptsFailedException.class);
        }
        assertThat(gateway.requests()).as("the gateway received the request before hanging up").isNotEmpty();
        assertThat(vendor.requests()).as("the vendor was not called a second time directly").isEmpty();
    }

    @Test
    void onlyAFailedConnectCountsAsUnreachable() {
        Function<Throwable, Throwable> connection = cause ->
                ProviderException.fromFailure("openai", "m", cause);
        assertThat(GatewayProvider.unreachable(connection.apply(new ConnectException("Connection refused")))).isTrue();
        assertThat(GatewayProvider.unreachable(connection.apply(new HttpConnectTimeoutException("slow")))).isTrue();
        assertThat(GatewayProvider.unreachable(connection.apply(new IOException("wrapped", new UnknownHostException("gw"))))).isTrue();
        assertThat(GatewayProvider.unreachable(connection.apply(new NoRouteToHostException("no route")))).isTrue();
        assertThat(GatewayProvider.unreachable(connection.apply(new SocketException("Connection reset")))).isFalse();
        assertThat(GatewayProvider.unreachable(connection.apply(new IOException("HTTP/1.1 header parser received no bytes")))).isFalse();
        assertThat(GatewayProvider.unreachable(new CompletionException(
                connection.apply(new ConnectException("Connection refused"))))).isTrue();
    }

    @Test
    void gatewayErrorsAreNotSentDirectly() {
        gateway.enqueue(Reply.status(400).errorMessage("bad request"));
        try (Switchboard sb = build("""
                providers:
                  openai:
                    type: gateway
                    base_url: "%s"
                    direct_fallback: { type: openai, base_url: "%s", api_key: vendor-key }
                """.formatted(gateway.baseUrl(), vendor.baseUrl()))) {
            assertThatThrownBy(() -> sb.create(Bot.class).ask("hello")).isInstanceOf(AllAttemptsFailedException.class)
                    .hasMessageContaining("400");
        }
        assertThat(vendor.requests()).isEmpty();
    }

    @Test
    void badDirectFallbackIsAConfigError() {
        assertThatThrownBy(() -> build("providers: { openai: { type: gateway, base_url: \"http://127.0.0.1:1\", direct_fallback: { type: nope } } }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("providers.openai.direct_fallback.type");
        assertThatThrownBy(() -> build("providers: { openai: { type: gateway } }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("providers.openai.base_url");
    }
}
