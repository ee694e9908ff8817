package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.RawHttp;
import io.portico.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Host and authority rules (400 {@code bad_host}) and paths that would mean something else to a
 * servlet backend (400 {@code bad_path}), as raw HTTP/1.1 requests: the answer, and that nothing
 * of a refused request reaches the backend.
 */
class HostAndPathRulesTest {
  static Vertx vertx;
  static RecordingBackend backend;
  static RecordingBackend internal;
  static Gateway gateway;

  @BeforeAll
  static void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    backend = RecordingBackend.start(vertx);
    internal = RecordingBackend.start(vertx);
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - { name: backend, endpoints: [%s] }
          - { name: internal, endpoints: [%s] }
        routes:
          - { name: internal, match: { hosts: [internal.example] }, upstream: internal }
          - { name: api, match: { path-prefix: /api }, upstream: backend }
        """.formatted(backend.address(), internal.address()))));
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
  }

  @BeforeEach
  void clear() {
    backend.clear();
    internal.clear();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no Host | GET /api/x HTTP/1.1\\r\\n\\r\\n
      two Hosts | GET /api/x HTTP/1.1\\r\\nHost: a.example\\r\\nHost: internal.example\\r\\n\\r\\n
      empty Host | GET /api/x HTTP/1.1\\r\\nHost: \\r\\n\\r\\n
      userinfo | GET /api/x HTTP/1.1\\r\\nHost: user@a.example\\r\\n\\r\\n
      empty port | GET /api/x HTTP/1.1\\r\\nHost: a.example:\\r\\n\\r\\n
      port out of range | GET /api/x HTTP/1.1\\r\\nHost: a.example:65536\\r\\n\\r\\n
      port not a number | GET /api/x HTTP/1.1\\r\\nHost: a.example:8o\\r\\n\\r\\n
      slash in Host | GET /api/x HTTP/1.1\\r\\nHost: a.example/x\\r\\n\\r\\n
      space in Host | GET /api/x HTTP/1.1\\r\\nHost: a example\\r\\n\\r\\n
      two ports | GET /api/x HTTP/1.1\\r\\nHost: a.example:80:80\\r\\n\\r\\n
      unclosed IPv6 | GET /api/x HTTP/1.1\\r\\nHost: [::1\\r\\n\\r\\n
      absolute-form with userinfo | GET http://user@a.example/api/x HTTP/1.1\\r\\nHost: a.example\\r\\n\\r\\n
      absolute-form with bad port | GET http://a.example:99999/api/x HTTP/1.1\\r\\nHost: a.example\\r\\n\\r\\n
      """)
  void badHostIsRefused(String name, String request) {
    // Connection: close right after the request line, so the answer ends with the connection
    String raw = HostileInputTest.unescape(request).replaceFirst("\r\n", "\r\nConnection: close\r\n");
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(), raw, 3000);

    assertThat(exchange.status()).as(exchange.response()).isEqualTo(400);
    assertThat(new JsonObject(exchange.body()).getString("error")).isEqualTo("bad_host");
    assertThat(backend.heads() + internal.heads()).as("requests that reached a backend").isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      Host with port | a.example:8080
      IPv4 | 127.0.0.1
      IPv6 with port | [::1]:8080
      upper case | A.Example
      """)
  void validHostPasses(String name, String host) {
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(), "GET /api/x HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n", 3000);

    assertThat(exchange.status()).as(exchange.response()).isEqualTo(200);
    assertThat(backend.received()).hasSize(1);
  }

  @Test
  void absoluteFormAuthorityWinsOverHostForRoutingAndForwarding() {
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(),
        "GET http://INTERNAL.example/x HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n", 3000);

    assertThat(exchange.status()).as(exchange.response()).isEqualTo(200);
    assertThat(backend.received()).isEmpty();
    assertThat(internal.received()).hasSize(1);
    assertThat(internal.last().uri()).isEqualTo("/x");
    assertThat(internal.last().header("x-forwarded-host")).isEqualTo("INTERNAL.example");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      dot-dot with parameters | /api/..;/admin
      dot-dot with named parameter | /api/..;jsessionid=x/admin
      encoded dot-dot with parameters | /api/%2e%2e;/admin
      dot with parameters | /api/.;/admin
      overlong dot | /api/%c0%ae%c0%ae/admin
      overlong slash | /api/..%c0%afadmin
      lone continuation byte | /api/%80
      surrogate | /api/%ed%a0%80
      truncated sequence | /api/%e2%82
      """)
  void pathThatMeansSomethingElseToTheBackendIsRefused(String name, String path) {
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(),
        "GET " + path + " HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n", 3000);

    assertThat(exchange.status()).as(exchange.response()).isEqualTo(400);
    assertThat(new JsonObject(exchange.body()).getString("error")).isEqualTo("bad_path");
    assertThat(backend.heads() + internal.heads()).isZero();
  }

  @Test
  void validEncodingsAndParametersAreForwardedByteForByte() {
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(),
        "GET /api/caf%C3%A9;v=1/%E2%82%AC HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n", 3000);

    assertThat(exchange.status()).as(exchange.response()).isEqualTo(200);
    assertThat(backend.last().uri()).isEqualTo("/api/caf%C3%A9;v=1/%E2%82%AC");
  }
}
