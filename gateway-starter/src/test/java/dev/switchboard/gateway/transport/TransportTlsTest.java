package dev.switchboard.gateway.transport;

import static dev.switchboard.gateway.transport.RawServer.pieces;
import static dev.switchboard.gateway.transport.RawServer.utf8;
import static dev.switchboard.gateway.transport.TransportFixture.chat;
import static dev.switchboard.gateway.transport.TransportFixture.failure;
import static dev.switchboard.gateway.transport.TransportFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.ProviderCallException;
import dev.switchboard.spi.ProviderException;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** https: a trusted certificate for the host name works (with SNI); a wrong name or an unknown issuer fails. */
class TransportTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    @RegisterExtension
    static final EventLoops LOOPS = new EventLoops(1);
    private static RawServer server;
    private static X509Certificate certificate;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=localhost", "-ext", "san=dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, PASSWORD);
        }
        certificate = (X509Certificate) ks.getCertificate("server");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        server = new RawServer(ssl.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Files.delete(store);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    private static NettyHttpTransport trusting() throws IOException {
        return NettyHttpTransport.builder(LOOPS.group())
                .sslContext(SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(certificate).build()).build();
    }

    @Test
    void aTrustedCertificateForTheHostNameWorksAndTheConnectionIsKept() throws Exception {
        int before = server.connections();
        try (NettyHttpTransport t = trusting()) {
            for (int i = 0; i < 3; i++) {
                server.enqueue(pieces(0, true, utf8("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")));
                assertThat(get(t.send(chat(URI.create("https://localhost:" + server.port() + "/v1/chat/completions"), false))).bodyText())
                        .isEqualTo("{}");
            }
        }
        assertThat(server.connections() - before).isEqualTo(1);
        assertThat(server.serverNames).as("SNI").contains("localhost");
    }

    @Test
    void aCertificateForAnotherNameFails() throws Exception {
        try (NettyHttpTransport t = trusting()) {
            Throwable e = failure(t.send(chat(URI.create("https://127.0.0.1:" + server.port() + "/v1/chat/completions"), false)));
            assertThat(e).isInstanceOf(SSLHandshakeException.class);
            assertThat(ProviderException.fromFailure("p", "m", e).kind()).isEqualTo(ProviderCallException.Kind.CONNECTION);
        }
    }

    @Test
    void theDefaultTrustStoreRejectsAnUnknownIssuer() throws Exception {
        try (NettyHttpTransport t = NettyHttpTransport.builder(LOOPS.group()).build()) {
            Throwable e = failure(t.send(chat(URI.create("https://localhost:" + server.port() + "/v1/chat/completions"), false)));
            assertThat(e).isInstanceOf(SSLHandshakeException.class);
            assertThat(List.of(e.getMessage(), String.valueOf(e.getCause()))).anySatisfy(m -> assertThat(m).containsIgnoringCase("cert"));
        }
    }
}
