package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.RawHttp;
import io.portico.testing.RawHttp2;
import io.portico.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The last line of defence: whatever put it there, a header name that is not a token or a value
 * with CR, LF or NUL is never written on an HTTP/1.1 connection, neither in a request to an upstream
 * (500 {@code unsafe_request_header}) nor in an answer relayed to a client (502
 * {@code unsafe_upstream_header}).
 */
class UnsafeHeaderTest {
  static Vertx vertx;
  static RecordingBackend backend;
  static NetServer rawUpstream;
  /** Answer heads the raw upstream sends, by request path. */
  static final Map<String, String> answers = new ConcurrentHashMap<>();
  static Gateway gateway;

  @BeforeAll
  static void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    backend = RecordingBackend.start(vertx);
    answers.put("/nul", "HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 2\r\n\r\nok");
    answers.put("/cr", "HTTP/1.1 200 OK\r\nX-A: a\rSet-Cookie: evil=1\r\nContent-Length: 2\r\n\r\nok");
    answers.put("/name", "HTTP/1.1 200 OK\r\nX(A): 1\r\nContent-Length: 2\r\n\r\nok");
    rawUpstream = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)).connectHandler(socket -> {
      Buffer head = Buffer.buffer();
      socket.handler(bytes -> {
        head.appendBuffer(bytes);
        String text = head.toString();
        if (text.contains("\r\n\r\n")) {
          String path = text.substring(text.indexOf(' ') + 1, text.indexOf(' ', text.indexOf(' ') + 1));
          socket.write(answers.getOrDefault(path, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))
              .onComplete(v -> socket.close());
        }
      });
    });
    Await.result(rawUpstream.listen());
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - { name: backend, endpoints: [%s] }
          - { name: raw, endpoints: [127.0.0.1:%d], outlier: { consecutive-failures: 1000 } }
        routes:
          - name: crlf
            match: { path-prefix: /plugin/crlf }
            upstream: backend
            plugins: { test-set-header: { name: x-a, value: "a\\r\\n b" } }
          - name: fine
            match: { path-prefix: /plugin/fine }
            upstream: backend
            plugins: { test-set-header: { name: x-a, value: "a b" } }
          - { name: raw, match: { path-prefix: /raw }, upstream: raw, strip-prefix: true }
        """.formatted(backend.address(), rawUpstream.actualPort()))));
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
  }

  @Test
  void pluginHeaderWithCrLfIsNeverWrittenUpstream() {
    backend.clear();
    RawHttp.Exchange refused = RawHttp.send(gateway.port(), "GET /plugin/crlf HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 3000);
    RawHttp.Exchange fine = RawHttp.send(gateway.port(), "GET /plugin/fine HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 3000);

    assertThat(refused.status()).as(refused.response()).isEqualTo(500);
    assertThat(new JsonObject(refused.body()).getString("error")).isEqualTo("unsafe_request_header");
    assertThat(fine.status()).isEqualTo(200);
    assertThat(backend.received()).extracting(RecordingBackend.Received::uri).containsExactly("/plugin/fine");
    assertThat(backend.heads()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/nul", "/cr", "/name"})
  void unsafeAnswerHeaderNeverReachesAnHttp1Client(String path) {
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(), "GET /raw" + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 3000);

    assertThat(exchange.status()).as(exchange.response()).isEqualTo(502);
    assertThat(exchange.response()).doesNotContain("\0").doesNotContain("evil=1").doesNotContain("X(A)");
    assertThat(exchange.response().replace("\r\n", "")).doesNotContain("\r");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/nul", "/cr", "/name"})
  void unsafeAnswerHeaderNeverReachesAnHttp2Client(String path) {
    try (RawHttp2 client = RawHttp2.priorKnowledge(gateway.port())) {
      client.headers(3, true, RawHttp2.get("/raw" + path));
      RawHttp2.Outcome outcome = client.await(3);
      assertThat(outcome.status()).as("%s", outcome).isEqualTo(502);
      assertThat(outcome.body()).doesNotContain("evil=1");
    }
  }
}
