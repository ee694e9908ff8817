package io.portico.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.GrpcBackend;
import io.portico.testing.Http;
import io.portico.testing.Http.Answer;
import io.portico.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC status names as retry conditions, read from a trailers-only answer's head: an HTTP/1.1
 * backend answers {@code 200} with {@code grpc-status} in the head, first with a failing status,
 * then with OK.
 */
class GrpcRetryTest {
  static Vertx vertx;
  static final AtomicInteger failuresLeft = new AtomicInteger();
  static volatile String failingStatus = "14";
  static RecordingBackend backend;
  static Gateway gateway;
  static HttpClient http;

  @BeforeAll
  static void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    backend = RecordingBackend.start(vertx, request -> {
      String status = failuresLeft.getAndDecrement() > 0 ? failingStatus : "0";
      request.response().putHeader("content-type", "application/grpc").putHeader("grpc-status", status)
          .putHeader("grpc-message", "status " + status).end();
    });
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - { name: flaky, endpoints: ["127.0.0.1:%d"] }
        routes:
          - name: flaky
            match: { path-prefix: /flaky.Svc/ }
            upstream: flaky
            retries: { attempts: 3, on: [unavailable, resource-exhausted, connect-failure] }
          - name: plain
            match: { path-prefix: /plain.Svc/ }
            upstream: flaky
            retries: { attempts: 3, on: [503] }
        """.formatted(backend.port()))));
    http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
  }

  @BeforeEach
  void reset() {
    backend.clear();
  }

  static Answer call(String path) {
    return Http.send(http, new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
        .putHeader("content-type", "application/grpc").putHeader("te", "trailers"), Buffer.buffer(new byte[] {0, 0, 0, 0, 1, 42}));
  }

  @Test
  void aTrailersOnlyUnavailableIsRetriedUntilOk() {
    failingStatus = "14";
    failuresLeft.set(2);
    Answer answer = call("/flaky.Svc/Call");
    assertThat(answer.header("grpc-status")).isEqualTo("0");
    assertThat(backend.received()).hasSize(3);
    assertThat(backend.received()).allSatisfy(r -> assertThat(r.body().getByte(5)).isEqualTo((byte) 42)); // replayed whole
  }

  @Test
  void aStatusNotListedIsRelayedAsItCame() {
    failingStatus = "5"; // NOT_FOUND
    failuresLeft.set(1);
    Answer answer = call("/flaky.Svc/Call");
    assertThat(answer.header("grpc-status")).isEqualTo("5");
    assertThat(backend.received()).hasSize(1);
  }

  @Test
  void gRpcStatusesAreNotRetriedOnARouteThatListsNone() {
    failingStatus = "14";
    failuresLeft.set(1);
    Answer answer = call("/plain.Svc/Call");
    assertThat(answer.header("grpc-status")).isEqualTo("14");
    assertThat(backend.received()).hasSize(1);
  }

  @Test
  void attemptsBoundTheRetriesAndTheLastAnswerReachesTheClient() {
    failingStatus = "8";
    failuresLeft.set(10);
    Answer answer = call("/flaky.Svc/Call");
    assertThat(answer.header("grpc-status")).isEqualTo("8");
    assertThat(answer.header("grpc-message")).isEqualTo("status 8");
    assertThat(backend.received()).hasSize(3);
  }

  @Test
  void aGrpcJavaClientGetsTheStatusOfTheRetriedCall() throws InterruptedException {
    failingStatus = "14";
    failuresLeft.set(10);
    ManagedChannel channel = GrpcBackend.channel(gateway.port());
    try {
      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> ClientCalls.blockingUnaryCall(channel,
          GrpcBackend.UNARY.toBuilder().setFullMethodName("flaky.Svc/Call").build(),
          io.grpc.CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), GrpcBackend.bytes("x")));
      assertThat(thrown).isInstanceOf(StatusRuntimeException.class);
      assertThat(((StatusRuntimeException) thrown).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(backend.heads()).isGreaterThanOrEqualTo(1);
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
