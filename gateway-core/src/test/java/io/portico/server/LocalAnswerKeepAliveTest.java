package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.RawHttp;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An answer the gateway gives itself to a request without a body keeps the connection open. */
class LocalAnswerKeepAliveTest {

  @Test
  void aLocalAnswerToABodilessRequestKeepsTheConnection(@TempDir Path dir) {
    Vertx vertx = Vertx.vertx();
    Gateway gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams: [{ name: u, endpoints: [127.0.0.1:9] }]
        routes:
          - { name: only, match: { path: /only }, upstream: u }
          - { name: denied, match: { path: /denied }, upstream: u, plugins: { trace-authn: { reply-status: 403 } } }
        """)));
    try {
      String miss = "GET /nothing-here HTTP/1.1\r\nHost: a\r\n\r\n";
      RawHttp.Exchange exchange = RawHttp.send(gateway.port(), miss + miss, 1500);

      assertThat(exchange.response()).startsWith("HTTP/1.1 404");
      assertThat(exchange.response().split("HTTP/1.1 404", -1)).as("two answers on one connection").hasSize(3);
      assertThat(exchange.response()).doesNotContainIgnoringCase("connection: close");
      assertThat(exchange.closed()).isFalse();

      String denied = "GET /denied HTTP/1.1\r\nHost: a\r\n\r\n"; // answered by a plugin
      RawHttp.Exchange refused = RawHttp.send(gateway.port(), denied + denied, 1500);
      assertThat(refused.response().split("HTTP/1.1 403", -1)).as("two answers on one connection").hasSize(3);
      assertThat(refused.response()).doesNotContainIgnoringCase("connection: close");
      assertThat(refused.closed()).isFalse();
    } finally {
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
      Await.result(vertx.close());
    }
  }
}
