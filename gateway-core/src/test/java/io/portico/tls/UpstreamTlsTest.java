package io.portico.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.pkitesting.X509Bundle;
import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.Http;
import io.portico.testing.TestPki;
import io.portico.testing.plugins.UpstreamLogPluginFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to upstreams against real TLS servers on loopback and a CA made here: verified chains and
 * names, mutual TLS, clear 502 upstream_tls_error failures, and handshakes paid once per pooled
 * connection.
 */
class UpstreamTlsTest {
  @TempDir
  Path dir;
  Vertx vertx;
  HttpClient client;
  X509Bundle ca;
  final AtomicInteger backendConnections = new AtomicInteger();
  final AtomicInteger healthChecks = new AtomicInteger();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    ca = TestPki.ca("internal-ca");
    TestPki.writeCa(dir, "internal-ca", ca);
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  /** An HTTPS backend presenting {@code cert}; it requires a client certificate from {@code clientCa} when given. */
  int backend(X509Bundle cert, X509Bundle clientCa) {
    TestPki.write(dir, "backend", cert);
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(dir.resolve("backend.pem").toString())
            .setKeyPath(dir.resolve("backend.key").toString()));
    if (clientCa != null) {
      options.setClientAuth(ClientAuth.REQUIRED)
          .setTrustOptions(new PemTrustOptions().addCertPath(TestPki.writeCa(dir, "client-ca", clientCa).toString()));
    }
    HttpServer server = vertx.createHttpServer(options)
        .connectionHandler(connection -> backendConnections.incrementAndGet())
        .requestHandler(request -> {
          if (request.path().equals("/healthz")) {
            healthChecks.incrementAndGet();
          }
          request.response().end("secure " + request.path());
        });
    return Await.result(server.listen()).actualPort();
  }

  Gateway gateway(String upstream) {
    return gateway(upstream, "");
  }

  /** A gateway with upstream {@code app} (and more) routed to by default, plus {@code routes}. */
  Gateway gateway(String upstreams, String routes) {
    return gateway(upstreams, routes, "");
  }

  Gateway gateway(String upstreams, String routes, String more) {
    Gateway gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - %s
        routes:
          - { name: app, upstream: app }
          %s
        %s
        """.formatted(upstreams, routes, more))));
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()),
        new PoolOptions().setHttp1MaxSize(50));
    return gateway;
  }

  Http.Answer get(String path) {
    return Http.send(client, new RequestOptions().setURI(path));
  }

  @Test
  void upstreamSignedByTheConfiguredCaAnswers() {
    int port = backend(TestPki.leaf(ca, "billing.internal", "billing.internal"), null);
    gateway("{ name: app, endpoints: [127.0.0.1:%d], tls: { ca: internal-ca.pem, server-name: billing.internal } }"
        .formatted(port));

    Http.Answer answer = get("/hello");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("secure /hello");
  }

  @Test
  void anIpEndpointWithoutServerNameIsCheckedAgainstTheIpSans() {
    int port = backend(TestPki.leaf(ca, "billing", "127.0.0.1"), null);
    gateway("{ name: app, endpoints: [127.0.0.1:%d], tls: { ca: internal-ca.pem } }".formatted(port));

    assertThat(get("/").status()).isEqualTo(200);
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() {
    X509Bundle other = TestPki.ca("other-ca");
    int port = backend(TestPki.leaf(other, "billing.internal", "billing.internal"), null);
    gateway("{ name: app, endpoints: [127.0.0.1:%d], tls: { ca: internal-ca.pem, server-name: billing.internal } }"
        .formatted(port));

    assertTlsError(get("/"));
  }

  @Test
  void anExpiredCertificateIsRefused() {
    X509Bundle expired = TestPki.leaf(ca, "billing.internal", Instant.now().minus(10, ChronoUnit.DAYS),
        Instant.now().minus(1, ChronoUnit.DAYS), "billing.internal");
    int port = backend(expired, null);
    gateway("{ name: app, endpoints: [127.0.0.1:%d], tls: { ca: internal-ca.pem, server-name: billing.internal } }"
        .formatted(port));

    assertTlsError(get("/"));
  }

  @Test
  void aNameThatDoesNotMatchIsRefusedWithTheCauseInTheExchangeLog() {
    int port = backend(TestPki.leaf(ca, "billing.internal", "billing.internal"), null);
    gateway("{ name: app, endpoints: [127.0.0.1:%d], tls: { ca: internal-ca.pem, server-name: payments.internal } }"
        .formatted(port), "", "plugins: { upstream-log: {} }");

    Http.Answer answer = get("/");

    assertTlsError(answer);
    String requestId = new io.vertx.core.json.JsonObject(answer.body()).getString("request_id");
    await().atMost(Duration.ofSeconds(5)).until(() -> UpstreamLogPluginFactory.ERROR_DETAILS.containsKey(requestId));
    assertThat(UpstreamLogPluginFactory.ERROR_DETAILS.get(requestId)).contains("payments.internal");
  }

  @Test
  void tlsFailuresCountForOutlierDetection() {
    // two endpoints: outlier detection never ejects the last one still serving
    X509Bundle other = TestPki.ca("other-ca");
    int bad = backend(TestPki.leaf(other, "billing.internal", "billing.internal"), null);
    int good = backend(TestPki.leaf(ca, "billing.internal", "billing.internal"), null);
    gateway(("{ name: app, endpoints: [127.0.0.1:%d, 127.0.0.1:%d], outlier: { consecutive-failures: 3,"
        + " base-ejection: 30s }, tls: { ca: internal-ca.pem, server-name: billing.internal } }").formatted(bad, good));

    int tlsErrors = 0;
    for (int i = 0; i < 20 && tlsErrors < 3; i++) {
      Http.Answer answer = get("/");
      if (answer.status() == 200) {
        assertThat(answer.body()).isEqualTo("secure /");
      } else {
        assertTlsError(answer);
        tlsErrors++;
      }
    }
    assertThat(tlsErrors).as("TLS failures at the endpoint signed by another CA").isEqualTo(3);

    for (int i = 0; i < 10; i++) { // ejected: every request goes to the endpoint that verifies
      assertThat(get("/").status()).isEqualTo(200);
    }
  }

  @Test
  void anUpstreamThatNeverAnswersTheHandshakeTimesOut() {
    // accepts TCP connections and stays silent: the handshake deadline (at least 2 s) ends the try
    NetServer silent = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0))
        .connectHandler(socket -> { });
    int port = Await.result(silent.listen()).actualPort();
    gateway("{ name: app, endpoints: [127.0.0.1:%d], tls: { ca: internal-ca.pem, server-name: billing.internal } }"
        .formatted(port));

    long start = System.nanoTime();
    assertTlsError(get("/"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(10));
  }

  @Test
  void aPlainHttpUpstreamIsATlsErrorNotAHang() {
    HttpServer plain = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> request.response().end("plain"));
    int port = Await.result(plain.listen()).actualPort();
    gateway("{ name: app, endpoints: [127.0.0.1:%d], tls: { ca: internal-ca.pem, server-name: billing.internal } }"
        .formatted(port));

    assertTlsError(get("/"));
  }

  @Test
  void mutualTlsNeedsTheClientCertificate() {
    X509Bundle clientCa = TestPki.ca("client-ca");
    TestPki.write(dir, "gateway", TestPki.leaf(clientCa, "gateway"));
    int port = backend(TestPki.leaf(ca, "billing.internal", "billing.internal"), clientCa);

    gateway("{ name: app, endpoints: [127.0.0.1:%d], tls: { ca: internal-ca.pem, server-name: billing.internal,"
        .formatted(port) + " cert: gateway.pem, key: gateway.key } }\n"
        + "  - { name: anonymous, endpoints: [127.0.0.1:%d], tls: { ca: internal-ca.pem, server-name: billing.internal } }"
        .formatted(port),
        "- { name: anonymous, match: { path-prefix: /anonymous }, upstream: anonymous }");

    assertThat(get("/with-cert").status()).isEqualTo(200);
    assertTlsError(get("/anonymous"));
  }

  @Test
  void keepAliveOpensAtMostMaxConnectionsTlsConnections() {
    int port = backend(TestPki.leaf(ca, "billing.internal", "billing.internal"), null);
    gateway(("{ name: app, endpoints: [127.0.0.1:%d], max-connections: 4,"
        + " tls: { ca: internal-ca.pem, server-name: billing.internal } }").formatted(port));

    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      answers.add(client.request(HttpMethod.GET, "/" + i)
          .compose(request -> request.send().compose(response -> response.body().map(b -> response.statusCode()))));
    }
    for (Future<Integer> answer : answers) {
      assertThat(Await.result(answer, 60)).isEqualTo(200);
    }

    // one event loop: at most max-connections handshakes at the backend for 1,000 requests
    assertThat(backendConnections.get()).isBetween(1, 4);
  }

  @Test
  void activeHealthChecksUseTheUpstreamsTls() {
    int port = backend(TestPki.leaf(ca, "billing.internal", "billing.internal"), null);
    X509Bundle other = TestPki.ca("other-ca");
    TestPki.writeCa(dir, "other-ca", other);
    String check = "health-check: { path: /healthz, interval: 100ms, timeout: 1s, healthy: 1, unhealthy: 1 }";
    gateway(("{ name: app, endpoints: [127.0.0.1:%d], %s,"
        + " tls: { ca: internal-ca.pem, server-name: billing.internal } }\n"
        + "  - { name: wrong-ca, endpoints: [127.0.0.1:%d], %s,"
        + " tls: { ca: other-ca.pem, server-name: billing.internal } }").formatted(port, check, port, check),
        "- { name: wrong-ca, match: { path-prefix: /wrong-ca }, upstream: wrong-ca }");

    // checks reach the TLS-only backend (one connection each: no keep-alive for checks)
    await().atMost(Duration.ofSeconds(10)).until(() -> healthChecks.get() >= 2);
    assertThat(get("/ok").status()).isEqualTo(200);
    // the check of the upstream trusting another CA fails its handshake: no healthy endpoint
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/wrong-ca").status() == 503);
  }

  private static void assertTlsError(Http.Answer answer) {
    assertThat(answer.status()).isEqualTo(502);
    assertThat(answer.body()).contains("\"error\":\"upstream_tls_error\"");
  }
}
