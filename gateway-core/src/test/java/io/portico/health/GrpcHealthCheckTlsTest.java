package io.portico.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.endpoint.EndpointState;
import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.TestPki;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code type: grpc} check of an upstream with {@code tls:}: h2 by ALPN, the upstream's CA and
 * server name, against an HTTPS server that answers the health call as a gRPC server does.
 */
class GrpcHealthCheckTlsTest {
  @TempDir
  Path dir;
  Vertx vertx;
  Gateway gateway;
  final AtomicInteger servingStatus = new AtomicInteger(1);
  final AtomicReference<String> seen = new AtomicReference<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    }
    Await.result(vertx.close());
  }

  @Test
  void aGrpcCheckSpeaksH2OverTheUpstreamsTls() {
    var ca = TestPki.ca("internal-ca");
    TestPki.writeCa(dir, "internal-ca", ca);
    TestPki.write(dir, "backend", TestPki.leaf(ca, "health.internal", "health.internal"));
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
            .setUseAlpn(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(dir.resolve("backend.pem").toString()).setKeyPath(dir.resolve("backend.key").toString())))
        .requestHandler(request -> request.body().onSuccess(body -> {
          seen.set(request.version() + " " + request.method() + " " + request.path() + " " + request.getHeader("content-type")
              + " " + request.getHeader("te") + " " + body.getByte(0) + "/" + body.getInt(1) + "/" + body.getString(5, body.length()).substring(2));
          request.response().putHeader("content-type", "application/grpc")
              .putTrailer("grpc-status", "0")
              .end(Buffer.buffer().appendByte((byte) 0).appendInt(2).appendByte((byte) 0x08).appendByte((byte) servingStatus.get()));
        }));
    int port = Await.result(server.listen()).actualPort();

    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - name: orders
            endpoints: [127.0.0.1:%d]
            tls: { ca: internal-ca.pem, server-name: health.internal }
            health-check: { type: grpc, service: orders.v1.Orders, interval: 100ms, timeout: 1s, healthy: 1, unhealthy: 1 }
        routes:
          - { name: orders, match: { path-prefix: / }, upstream: orders }
        """.formatted(port))));

    await().atMost(Duration.ofSeconds(10)).until(() -> "SERVING".equals(state(port).lastCheck()));
    assertThat(seen.get()).isEqualTo("HTTP_2 POST /grpc.health.v1.Health/Check application/grpc trailers 0/18/orders.v1.Orders");

    servingStatus.set(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> !state(port).checkedHealthy());
    assertThat(state(port).lastCheck()).isEqualTo("NOT_SERVING");
    assertThat(gateway.upstream("orders").current().servingCount()).isZero();
  }

  private EndpointState state(int port) {
    return gateway.upstream("orders").health().states().stream()
        .filter(s -> s.endpoint().port() == port).findFirst().orElseThrow();
  }
}
