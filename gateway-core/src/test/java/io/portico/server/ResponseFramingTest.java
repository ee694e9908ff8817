package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.RawHttp;
import io.portico.testing.RecordingBackend;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How answers of unknown length, without a body, or to HEAD reach HTTP/1.1 and HTTP/1.0 clients. */
class ResponseFramingTest {
  static Vertx vertx;
  static Gateway gateway;

  @BeforeAll
  static void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    RecordingBackend backend = RecordingBackend.start(vertx, request -> {
      switch (request.path()) {
        case "/chunked" -> {
          request.response().setChunked(true).write("first,");
          request.response().end("second");
        }
        case "/empty" -> request.response().setStatusCode(204).end();
        default -> request.response().end("fixed body");
      }
    });
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - { name: app, endpoints: [%s] }
        routes:
          - { name: app, upstream: app }
        """.formatted(backend.address()))));
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
  }

  @Test
  void chunkedUpstreamAnswerIsChunkedToAnHttp11Client() {
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(), "GET /chunked HTTP/1.1\r\nHost: a\r\n\r\n", 1000);

    assertThat(exchange.response()).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
    assertThat(exchange.body()).contains("first,").contains("second").endsWith("0\r\n\r\n");
    assertThat(exchange.closed()).isFalse();
  }

  @Test
  void chunkedUpstreamAnswerReachesAnHttp10ClientWholeAndTheConnectionCloses() {
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(), "GET /chunked HTTP/1.0\r\nHost: a\r\n\r\n", 3000);

    assertThat(exchange.response()).startsWith("HTTP/1.0 200").doesNotContainIgnoringCase("transfer-encoding");
    assertThat(exchange.body()).isEqualTo("first,second");
    assertThat(exchange.closed()).isTrue();
  }

  @Test
  void headAnswersCarryNoBody() {
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(), "HEAD /fixed HTTP/1.1\r\nHost: a\r\n\r\n", 1000);

    assertThat(exchange.response()).startsWith("HTTP/1.1 200");
    assertThat(exchange.body()).isEmpty();
    assertThat(exchange.closed()).isFalse();
  }

  @Test
  void noContentAnswersCarryNoBody() {
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(), "GET /empty HTTP/1.1\r\nHost: a\r\n\r\n", 1000);

    assertThat(exchange.response()).startsWith("HTTP/1.1 204").doesNotContainIgnoringCase("transfer-encoding");
    assertThat(exchange.body()).isEmpty();
    assertThat(exchange.closed()).isFalse();
  }
}
