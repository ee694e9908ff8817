package io.portico.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.Http;
import io.portico.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outlier.grpc-statuses}: an endpoint whose trailers-only answers to gRPC calls carry a
 * listed status is ejected like one that fails to answer.
 */
class GrpcOutlierTest {
  Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  static RecordingBackend answering(Vertx vertx, String grpcStatus) {
    return RecordingBackend.start(vertx, request -> request.response().putHeader("content-type", "application/grpc")
        .putHeader("grpc-status", grpcStatus).end());
  }

  @Test
  void anEndpointAnsweringUnavailableIsEjected(@TempDir Path dir) {
    RecordingBackend bad = answering(vertx, "14");
    RecordingBackend good = answering(vertx, "0");
    Gateway gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - name: orders
            endpoints: ["127.0.0.1:%d", "127.0.0.1:%d"]
            balancer: round-robin
            outlier: { consecutive-failures: 2, base-ejection: 1m, grpc-statuses: [unavailable] }
        routes:
          - { name: orders, match: { path-prefix: /orders.v1.Orders/ }, upstream: orders }
        """.formatted(bad.port(), good.port()))));
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
    int unavailable = 0;
    for (int i = 0; i < 20; i++) {
      Http.Answer answer = Http.send(http, new RequestOptions().setMethod(HttpMethod.POST).setURI("/orders.v1.Orders/Get")
          .putHeader("content-type", "application/grpc"), Buffer.buffer(new byte[] {0, 0, 0, 0, 0}));
      if ("14".equals(answer.header("grpc-status"))) {
        unavailable++;
      }
    }
    assertThat(bad.received()).hasSize(2); // ejected after its second UNAVAILABLE
    assertThat(unavailable).isEqualTo(2);
    assertThat(good.received()).hasSize(18);
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
  }

  @Test
  void aPlainHttpAnswerWithTheSameHeaderDoesNotCount(@TempDir Path dir) {
    RecordingBackend bad = answering(vertx, "14");
    RecordingBackend good = answering(vertx, "0");
    Gateway gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - name: orders
            endpoints: ["127.0.0.1:%d", "127.0.0.1:%d"]
            balancer: round-robin
            outlier: { consecutive-failures: 2, base-ejection: 1m, grpc-statuses: [unavailable] }
        routes:
          - { name: orders, match: { path-prefix: /orders.v1.Orders/ }, upstream: orders }
        """.formatted(bad.port(), good.port()))));
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
    for (int i = 0; i < 10; i++) {
      Http.send(http, new RequestOptions().setMethod(HttpMethod.POST).setURI("/orders.v1.Orders/Get")
          .putHeader("content-type", "application/json"), Buffer.buffer("{}"));
    }
    assertThat(bad.received()).hasSize(5); // not a gRPC call: never ejected for it
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
  }
}
