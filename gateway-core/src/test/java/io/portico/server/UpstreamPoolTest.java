package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.Http;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstream connections: kept alive and reused, bounded per endpoint, and stale ones retried. */
class UpstreamPoolTest {
  @TempDir
  Path dir;
  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  Gateway gateway(int backendPort, int maxConnections) {
    return Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - { name: app, endpoints: [127.0.0.1:%d], max-connections: %d }
        routes:
          - { name: app, upstream: app }
        """.formatted(backendPort, maxConnections))));
  }

  HttpClient client(Gateway gateway, int connections) {
    return vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()),
        new PoolOptions().setHttp1MaxSize(connections));
  }

  @Test
  void sequentialRequestsReuseOneUpstreamConnection() {
    Set<String> connections = ConcurrentHashMap.newKeySet();
    HttpServer backend = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)).requestHandler(request -> {
      connections.add(request.connection().remoteAddress().toString());
      request.response().end("ok");
    });
    Await.result(backend.listen());
    Gateway gateway = gateway(backend.actualPort(), 8);
    HttpClient client = client(gateway, 1);

    for (int i = 0; i < 20; i++) {
      assertThat(Http.send(client, new RequestOptions().setURI("/" + i)).body()).isEqualTo("ok");
    }

    assertThat(connections).hasSize(1);
  }

  @Test
  void maxConnectionsBoundsTheConnectionsAndQueuesTheRest() {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Set<String> connections = ConcurrentHashMap.newKeySet();
    HttpServer backend = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)).requestHandler(request -> {
      connections.add(request.connection().remoteAddress().toString());
      peak.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      vertx.setTimer(200, t -> {
        concurrent.decrementAndGet();
        request.response().end("done");
      });
    });
    Await.result(backend.listen());
    Gateway gateway = gateway(backend.actualPort(), 2);
    HttpClient client = client(gateway, 6);

    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      answers.add(client.request(new RequestOptions().setURI("/" + i))
          .compose(request -> request.send().compose(response -> response.body().map(Buffer::toString))));
    }

    for (Future<String> answer : answers) {
      assertThat(Await.result(answer)).isEqualTo("done");
    }
    assertThat(peak.get()).isEqualTo(2);
    assertThat(connections).hasSize(2);
  }

  /** A backend that answers the first request of each connection and drops the connection at the second. */
  NetServer droppingBackend(AtomicInteger heads) {
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)).connectHandler(socket -> {
      int[] requests = {0};
      StringBuilder seen = new StringBuilder();
      socket.handler(bytes -> {
        seen.append(bytes.toString());
        while (seen.indexOf("\r\n\r\n") >= 0) {
          seen.delete(0, seen.indexOf("\r\n\r\n") + 4);
          heads.incrementAndGet();
          if (++requests[0] == 1) {
            socket.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
          } else {
            socket.close(); // dies as the connection is reused
          }
        }
      });
    });
    Await.result(server.listen());
    return server;
  }

  @Test
  void anIdempotentRequestOnAConnectionThatDiesIsSentOnceMoreOnAFreshOne() {
    AtomicInteger heads = new AtomicInteger();
    NetServer backend = droppingBackend(heads);
    Gateway gateway = gateway(backend.actualPort(), 8);
    HttpClient client = client(gateway, 1);

    assertThat(Http.send(client, new RequestOptions().setURI("/first")).body()).isEqualTo("ok");
    Http.Answer second = Http.send(client, new RequestOptions().setURI("/second"));

    assertThat(second.status()).isEqualTo(200);
    assertThat(heads.get()).isEqualTo(3); // first, second on the old connection, second again
  }

  @Test
  void aPostOnAConnectionThatDiesIsNotRepeated() {
    AtomicInteger heads = new AtomicInteger();
    NetServer backend = droppingBackend(heads);
    Gateway gateway = gateway(backend.actualPort(), 8);
    HttpClient client = client(gateway, 1);

    assertThat(Http.send(client, new RequestOptions().setURI("/first")).body()).isEqualTo("ok");
    Http.Answer post = Http.send(client, new RequestOptions().setMethod(HttpMethod.POST).setURI("/order"), Buffer.buffer("x"));

    assertThat(post.status()).isEqualTo(502);
    assertThat(heads.get()).isEqualTo(2);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> gateway.inFlight() == 0);
  }
}
