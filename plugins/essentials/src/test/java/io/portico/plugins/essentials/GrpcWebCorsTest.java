package io.portico.plugins.essentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.portico.testkit.TestResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A browser's gRPC-Web calls with CORS: the preflight answered at the gateway, the gRPC headers exposed. */
class GrpcWebCorsTest {
  static TestBackend backend;
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    // a gRPC server answer, trailers-only: the status in the head, readable by scripts only when exposed
    backend = TestBackend.start(request -> request.body().onSuccess(body -> request.response()
        .putHeader("content-type", "application/grpc").putHeader("grpc-status", "7")
        .putHeader("grpc-message", "denied").end()));
    gateway = TestGateway.start("""
        upstreams:
          - { name: orders, endpoints: [%s] }
        routes:
          - name: orders
            match: { path-prefix: /orders.v1.Orders/ }
            upstream: orders
            grpc-web: true
            plugins:
              cors:
                allow-origins: [https://app.example.com]
                allow-methods: [POST]
                allow-headers: [content-type, x-grpc-web, x-user-agent, grpc-timeout, authorization]
                expose-headers: [grpc-status, grpc-message]
        """.formatted(backend.address()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    backend.close();
  }

  @Test
  void thePreflightOfAGrpcWebCallIsAnsweredAtTheGateway() {
    int before = backend.requestCount();
    TestResponse preflight = gateway.request(HttpMethod.OPTIONS, "/orders.v1.Orders/Get")
        .header("Origin", "https://app.example.com")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type,x-grpc-web,x-user-agent,grpc-timeout")
        .send();

    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
    assertThat(preflight.header("Access-Control-Allow-Methods")).isEqualTo("POST");
    assertThat(preflight.header("Access-Control-Allow-Headers")).contains("x-grpc-web", "x-user-agent", "grpc-timeout");
    assertThat(backend.requestCount()).isEqualTo(before);
  }

  @Test
  void theCallExposesTheGrpcStatusToTheScript() {
    TestResponse call = gateway.request(HttpMethod.POST, "/orders.v1.Orders/Get")
        .header("Origin", "https://app.example.com")
        .header("content-type", "application/grpc-web+proto")
        .header("x-grpc-web", "1")
        .body(Buffer.buffer().appendByte((byte) 0).appendInt(0))
        .send();

    assertThat(call.status()).isEqualTo(200);
    assertThat(call.header("content-type")).isEqualTo("application/grpc-web");
    assertThat(call.header("grpc-status")).isEqualTo("7");
    assertThat(call.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
    assertThat(call.header("Access-Control-Expose-Headers")).isEqualTo("grpc-status, grpc-message");
  }
}
