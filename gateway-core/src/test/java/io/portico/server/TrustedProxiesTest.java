package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.Http;
import io.portico.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forwarding headers from a trusted proxy are believed and extended; the exchange sees the client. */
class TrustedProxiesTest {
  static Vertx vertx;
  static RecordingBackend backend;
  static Gateway gateway;
  static HttpClient client;

  @BeforeAll
  static void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    backend = RecordingBackend.start(vertx);
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        trusted-proxies: [10.0.0.0/8, 127.0.0.1/32]
        upstreams:
          - { name: app, endpoints: [%s] }
        routes:
          - { name: app, upstream: app, plugins: { trace-ingress: { expose: true } } }
        """.formatted(backend.address()))));
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
  }

  @Test
  void headersFromATrustedPeerAreKeptAndExtended() {
    Http.send(client, new RequestOptions().setURI("/x")
        .putHeader("x-forwarded-for", "203.0.113.7, 10.1.2.3")
        .putHeader("x-forwarded-proto", "https")
        .putHeader("x-forwarded-host", "Shop.Example.com")
        .putHeader("forwarded", "for=203.0.113.7;proto=https"));

    RecordingBackend.Received seen = backend.last();
    assertThat(seen.header("x-forwarded-for")).isEqualTo("203.0.113.7, 10.1.2.3, 127.0.0.1");
    assertThat(seen.header("x-forwarded-proto")).isEqualTo("https");
    assertThat(seen.header("x-forwarded-host")).isEqualTo("Shop.Example.com");
    assertThat(seen.header("forwarded")).isEqualTo("for=203.0.113.7;proto=https");
    assertThat(seen.header("x-seen-client-ip")).as("right-most address that is not a trusted proxy").isEqualTo("203.0.113.7");
    assertThat(seen.header("x-seen-scheme")).isEqualTo("https");
    assertThat(seen.header("x-seen-host")).isEqualTo("127.0.0.1");
  }

  @Test
  void withoutForwardingHeadersThePeerIsTheClient() {
    Http.send(client, new RequestOptions().setURI("/y"));

    RecordingBackend.Received seen = backend.last();
    assertThat(seen.header("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(seen.header("x-seen-client-ip")).isEqualTo("127.0.0.1");
    assertThat(seen.header("x-seen-scheme")).isEqualTo("http");
  }
}
