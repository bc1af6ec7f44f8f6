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
import dev.switchboard.testkit.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    void aGatewayThatTookTheRequestAndClosedWithoutAnAnswerIsNotBypassed() throws Exception {
        vendor.enqueue(Reply.text("direct"), Reply.text("direct"), Reply.text("direct"));
        try (HangUpServer hangUp = new HangUpServer(); Switchboard sb = build("""
                providers:
                  openai:
                    type: gateway
                    base_url: "%s"
                    request_timeout: 5s
                    direct_fallback: { type: openai, base_url: "%s", api_key: vendor-key }
                """.formatted(hangUp.baseUrl(), vendor.baseUrl()))) {
            assertThatThrownBy(() -> sb.create(Bot.class).ask("hello")).isInstanceOf(AllAttemptsFailedException.class);
            assertThat(hangUp.requests()).as("the gateway received the request before hanging up").isPositive();
        }
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

    /** A fake gateway on loopback that reads each request whole and closes the connection without answering. */
    private static final class HangUpServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger requests = new AtomicInteger();
        private final Thread acceptor = new Thread(this::serve, "hang-up-gateway");

        HangUpServer() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        /** How many complete requests were received. */
        int requests() {
            return requests.get();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    String head = readHead(in);
                    Matcher m = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
                    if (m.find()) {
                        in.readNBytes(Integer.parseInt(m.group(1)));
                    }
                    requests.incrementAndGet();
                } catch (IOException e) {
                    // closed, or the client went away: go on with the next connection
                }
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                b.append((char) c);
                if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
                    break;
                }
            }
            return b.toString();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
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
