package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.spi.GatewayStats;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.Http;
import io.portico.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counts the gateway hands to plugins: client and upstream connections, exchanges in flight. */
class GatewayStatsTest {
  @TempDir
  Path dir;
  Vertx vertx;
  RecordingBackend backend;
  Gateway gateway;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    backend = RecordingBackend.start(vertx);
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 2 }
        upstreams:
          - { name: app, endpoints: [%s] }
        routes:
          - { name: app, upstream: app }
        """.formatted(backend.address()))));
  }

  @AfterEach
  void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
  }

  GatewayStats.Listener listener() {
    assertThat(gateway.stats().listeners()).hasSize(1);
    return gateway.stats().listeners().get(0);
  }

  @Test
  void countsClientConnectionsFromAcceptToClose() throws Exception {
    assertThat(listener().name()).isEqualTo("http");
    assertThat(listener().openConnections()).isZero();

    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sockets.add(new Socket("127.0.0.1", gateway.port())); // idle: no request sent yet
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> listener().openConnections() == 3);

    for (Socket socket : sockets) {
      socket.close();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> listener().openConnections() == 0);
  }

  @Test
  void countsPooledUpstreamConnectionsUntilTheyClose() {
    HttpClient client = vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()), new PoolOptions().setHttp1MaxSize(1));
    for (int i = 0; i < 5; i++) {
      assertThat(Http.send(client, new RequestOptions().setURI("/" + i)).status()).isEqualTo(200);
    }
    // one client connection, so one loop, so one kept-alive upstream connection
    assertThat(gateway.stats().upstreamConnections()).isEqualTo(1);
    // the exchange ends once the write completed, just after the client got the answer
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.stats().exchangesInFlight() == 0);
    assertThat(listener().openConnections()).isEqualTo(1);

    backend.close(); // the backend closes its side of the idle connection
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.stats().upstreamConnections() == 0);
    Await.result(client.close());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener().openConnections() == 0);
  }
}
