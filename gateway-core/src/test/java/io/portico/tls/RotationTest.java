package io.portico.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.netty.pkitesting.X509Bundle;
import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.Http;
import io.portico.testing.RecordingBackend;
import io.portico.testing.TestPki;
import io.portico.testing.TlsProbe;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificate rotation without restart: edge and upstream files are watched and reloaded. */
class RotationTest {
  @TempDir
  Path dir;
  Vertx vertx;
  RecordingBackend backend;
  X509Bundle ca;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    backend = RecordingBackend.start(vertx);
    ca = TestPki.ca("edge-ca");
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  Gateway edgeGateway() {
    return Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 2, tls: { cert: live/api.pem, key: live/api.key } }
        upstreams:
          - { name: app, endpoints: [127.0.0.1:%d] }
        routes:
          - { name: app, upstream: app }
        """.formatted(backend.port()))));
  }

  /** Writes a pair the way a careful operator does: each file replaced atomically, certificate first. */
  void replace(Path target, X509Bundle bundle) throws IOException {
    Path staging = Files.createDirectories(dir.resolve("staging"));
    TestPki.write(staging, "api", bundle);
    Files.createDirectories(target);
    Files.move(staging.resolve("api.pem"), target.resolve("api.pem"), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    Files.move(staging.resolve("api.key"), target.resolve("api.key"), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void newHandshakesGetTheNewCertificateWithinSecondsAndNoRequestFails() throws Exception {
    replace(dir.resolve("live"), TestPki.leaf(ca, "CN=api-v1", "api.test"));
    Gateway gateway = edgeGateway();
    assertThat(TlsProbe.connect(gateway.port(), "api.test", null, null, null).servedSubject()).isEqualTo("CN=api-v1");

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    AtomicReference<String> lastSubject = new AtomicReference<>();
    Thread load = new Thread(() -> {
      while (running.get()) {
        TlsProbe.Result result = TlsProbe.connect(gateway.port(), "api.test", null, null, null);
        sent.incrementAndGet();
        if (result.status() != 200) {
          failed.incrementAndGet();
        }
        lastSubject.set(result.servedSubject());
      }
    });
    load.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> sent.get() >= 5);
      long swapped = System.nanoTime();
      replace(dir.resolve("live"), TestPki.leaf(ca, "CN=api-v2", "api.test"));

      await().atMost(Duration.ofSeconds(5)).until(() -> "CN=api-v2".equals(lastSubject.get()));
      assertThat(Duration.ofNanos(System.nanoTime() - swapped)).isLessThan(Duration.ofSeconds(5));
      int at = sent.get();
      await().atMost(Duration.ofSeconds(10)).until(() -> sent.get() >= at + 5);
    } finally {
      running.set(false);
      load.join(20_000);
    }
    assertThat(failed.get()).isZero();
    assertThat(lastSubject.get()).isEqualTo("CN=api-v2");
    Gauge expiry = gateway.meterRegistry().find("portico.tls.certificate.expiry.seconds")
        .tags("source", "listen", "subject", "CN=api-v2").gauge();
    assertThat(expiry).isNotNull();
    assertThat(expiry.value()).isGreaterThan(Duration.ofDays(29).toSeconds());
  }

  @Test
  void aKubernetesSecretSymlinkSwapIsSeen() throws Exception {
    // the layout of a Secret volume: files are links through ..data to a timestamped folder
    Path secret = Files.createDirectories(dir.resolve("live"));
    replace(secret.resolve("..2026_12_07_v1"), TestPki.leaf(ca, "CN=api-v1", "api.test"));
    Files.createSymbolicLink(secret.resolve("..data"), Path.of("..2026_12_07_v1"));
    Files.createSymbolicLink(secret.resolve("api.pem"), Path.of("..data/api.pem"));
    Files.createSymbolicLink(secret.resolve("api.key"), Path.of("..data/api.key"));
    Gateway gateway = edgeGateway();
    assertThat(TlsProbe.connect(gateway.port(), "api.test", null, null, null).servedSubject()).isEqualTo("CN=api-v1");

    replace(secret.resolve("..2026_12_07_v2"), TestPki.leaf(ca, "CN=api-v2", "api.test"));
    Files.createSymbolicLink(secret.resolve("..data_tmp"), Path.of("..2026_12_07_v2"));
    Files.move(secret.resolve("..data_tmp"), secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

    await().atMost(Duration.ofSeconds(5)).until(() ->
        "CN=api-v2".equals(TlsProbe.connect(gateway.port(), "api.test", null, null, null).servedSubject()));
  }

  @Test
  void aBrokenPairIsRejectedAndTheOldCertificateKeepsServing() throws Exception {
    replace(dir.resolve("live"), TestPki.leaf(ca, "CN=api-v1", "api.test"));
    Gateway gateway = edgeGateway();

    // a new certificate whose key never arrives: the old key does not match it
    Files.writeString(dir.resolve("live/api.pem"), TestPki.leaf(ca, "CN=api-broken", "api.test").getCertificatePEM());

    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> {
      TlsProbe.Result result = TlsProbe.connect(gateway.port(), "api.test", null, null, null);
      return result.status() == 200 && "CN=api-v1".equals(result.servedSubject());
    });
  }

  @Test
  void anUpstreamCaFileChangeGoesLiveForNewConnections() throws Exception {
    X509Bundle internal = TestPki.ca("internal-ca");
    TestPki.write(dir, "billing", TestPki.leaf(internal, "billing.internal", "billing.internal"));
    int port = Await.result(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(dir.resolve("billing.pem").toString())
                .setKeyPath(dir.resolve("billing.key").toString())))
        .requestHandler(request -> request.response().end("billing"))
        .listen()).actualPort();
    TestPki.writeCa(dir, "trusted", TestPki.ca("some-other-ca"));
    Gateway gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          # TLS failures count for outlier detection: keep the only endpoint in while the test polls
          - { name: billing, endpoints: [127.0.0.1:%d], tls: { ca: trusted.pem, server-name: billing.internal },
              outlier: { consecutive-failures: 1000 } }
        routes:
          - { name: billing, upstream: billing }
        """.formatted(port))));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(gateway.port()));
    assertThat(Http.send(client, new RequestOptions().setURI("/")).status()).isEqualTo(502);

    TestPki.writeCa(dir, "trusted", internal);

    await().atMost(Duration.ofSeconds(5)).until(() -> Http.send(client, new RequestOptions().setURI("/")).status() == 200);
  }
}
