package io.portico.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.pkitesting.X509Bundle;
import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.RecordingBackend;
import io.portico.testing.TestPki;
import io.portico.testing.TlsProbe;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listener's TLS: certificates chosen by SNI, client certificates, TLS versions. */
class EdgeTlsTest {
  @TempDir
  Path dir;
  Vertx vertx;
  RecordingBackend backend;
  X509Bundle ca;
  X509Bundle clientCa;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    backend = RecordingBackend.start(vertx);
    ca = TestPki.ca("edge-ca");
    TestPki.write(dir, "api", TestPki.leaf(ca, "api.test", "api.test"));
    TestPki.write(dir, "shop", TestPki.leaf(ca, "shop.test", "shop.test", "www.shop.test"));
    clientCa = TestPki.ca("clients-ca");
    TestPki.writeCa(dir, "clients-ca", clientCa);
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  int gateway(String tls) {
    Gateway gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen:
          host: 127.0.0.1
          port: 0
          instances: 1
          tls: %s
        upstreams:
          - { name: app, endpoints: [127.0.0.1:%d] }
        routes:
          - { name: app, upstream: app }
        """.formatted(tls, backend.port()))));
    return gateway.port();
  }

  @Test
  void sniPicksEachNamesCertificateAndTheFirstServesUnknownNames() {
    int port = gateway("{ certificates: [ { cert: api.pem, key: api.key }, { cert: shop.pem, key: shop.key } ] }");

    TlsProbe.Result api = TlsProbe.connect(port, "api.test", null, null, null);
    TlsProbe.Result shop = TlsProbe.connect(port, "shop.test", null, null, null);
    TlsProbe.Result second = TlsProbe.connect(port, "www.shop.test", null, null, null);
    TlsProbe.Result unknown = TlsProbe.connect(port, "other.test", null, null, null);
    TlsProbe.Result none = TlsProbe.connect(port, null, null, null, null);

    assertThat(api.servedSubject()).isEqualTo("CN=api.test");
    assertThat(api.status()).isEqualTo(200);
    assertThat(shop.servedSubject()).isEqualTo("CN=shop.test");
    assertThat(shop.status()).isEqualTo(200);
    assertThat(second.servedSubject()).isEqualTo("CN=shop.test");
    assertThat(unknown.servedSubject()).isEqualTo("CN=api.test");
    assertThat(none.servedSubject()).isEqualTo("CN=api.test");
  }

  @Test
  void opensslSeesEachNamesCertificate() throws Exception {
    int port = gateway("{ certificates: [ { cert: api.pem, key: api.key }, { cert: shop.pem, key: shop.key } ] }");

    assertThat(opensslSubject(port, "api.test")).isEqualTo("CN = api.test");
    assertThat(opensslSubject(port, "shop.test")).isEqualTo("CN = shop.test");
    assertThat(opensslSubject(port, "unknown.test")).isEqualTo("CN = api.test");
  }

  /** The subject {@code openssl s_client -servername} reports, or the test is skipped without openssl. */
  private static String opensslSubject(int port, String serverName) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", serverName)
          .redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      org.junit.jupiter.api.Assumptions.abort("openssl is not installed");
      return null;
    }
    process.getOutputStream().close(); // end of input: s_client says goodbye after the handshake
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return output.lines().filter(line -> line.startsWith("subject=")).map(line -> line.substring("subject=".length()))
        .findFirst().orElseThrow(() -> new AssertionError("no subject in:\n" + output));
  }

  @Test
  void theSingleCertificateFormKeepsWorking() {
    int port = gateway("{ cert: shop.pem, key: shop.key }");

    TlsProbe.Result result = TlsProbe.connect(port, "api.test", null, null, null);

    assertThat(result.servedSubject()).isEqualTo("CN=shop.test");
    assertThat(result.status()).isEqualTo(200);
  }

  @Test
  void requireRefusesAHandshakeWithoutACertificate() {
    int port = gateway("{ cert: api.pem, key: api.key, client-auth: { mode: require, ca: clients-ca.pem } }");

    TlsProbe.Result anonymous = TlsProbe.connect(port, "api.test", null, null, null);
    TlsProbe.Result stranger = TlsProbe.connect(port, "api.test", TestPki.leaf(TestPki.ca("other"), "CN=ops-1"), null, null);
    TlsProbe.Result known = TlsProbe.connect(port, "api.test", TestPki.leaf(clientCa, "CN=ops-1"), null, null);

    assertThat(anonymous.failure()).isNotNull();
    assertThat(anonymous.answer()).isNull();
    assertThat(stranger.failure()).isNotNull();
    assertThat(stranger.answer()).isNull();
    assertThat(known.status()).isEqualTo(200);
  }

  @Test
  void requestLetsClientsWithoutACertificateIn() {
    int port = gateway("{ cert: api.pem, key: api.key, client-auth: { mode: request, ca: clients-ca.pem } }");

    assertThat(TlsProbe.connect(port, "api.test", null, null, null).status()).isEqualTo(200);
    assertThat(TlsProbe.connect(port, "api.test", TestPki.leaf(clientCa, "CN=ops-1"), null, null).status())
        .isEqualTo(200);
  }

  @Test
  void onlyTheConfiguredVersionsAreOffered() {
    int port = gateway("{ cert: api.pem, key: api.key, protocols: [TLSv1.2] }");

    assertThat(TlsProbe.connect(port, "api.test", null, "TLSv1.2", null).status()).isEqualTo(200);
    TlsProbe.Result tls13 = TlsProbe.connect(port, "api.test", null, "TLSv1.3", null);
    assertThat(tls13.failure()).isNotNull();
    assertThat(tls13.answer()).isNull();
  }
}
