package io.portico.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.GrpcBackend;
import io.portico.testing.Http;
import io.portico.testing.Http.Answer;
import io.portico.testing.plugins.UpstreamLogPluginFactory;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's own answers to gRPC calls, read by a real grpc-java client over h2c: every refusal
 * and upstream failure arrives as a gRPC status, with the refusal's headers as metadata; a plain
 * HTTP client still gets the JSON errors.
 */
class GrpcAnswersTest {
  static Vertx vertx;
  static HttpServer silent;
  static final AtomicInteger silentClosed = new AtomicInteger();
  static Gateway gateway;
  static ManagedChannel channel;
  static HttpClient http;

  @BeforeAll
  static void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    silent = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .connectionHandler(connection -> connection.closeHandler(v -> silentClosed.incrementAndGet()))
        .requestHandler(request -> { /* never answers */ });
    Await.result(silent.listen());
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - { name: down, endpoints: ["127.0.0.1:%d"], connect-timeout: 500ms }
          - { name: silent, endpoints: ["127.0.0.1:%d"] }
        routes:
          - name: unauthenticated
            match: { path-prefix: /auth.Svc/ }
            upstream: silent
            plugins: { reply: { status: 401, error: missing_token, headers: { WWW-Authenticate: 'Bearer realm="portico"' } } }
          - name: forbidden
            match: { path-prefix: /scope.Svc/ }
            upstream: silent
            plugins: { reply: { status: 403, error: insufficient_scope }, upstream-log: {} }
          - name: limited
            match: { path-prefix: /limited.Svc/ }
            upstream: silent
            plugins: { reply: { status: 429, error: rate_limited, headers: { RateLimit-Limit: "10", RateLimit-Remaining: "0", Retry-After: "3" } } }
          - name: bad
            match: { path-prefix: /bad.Svc/ }
            upstream: silent
            plugins: { reply: { status: 400, error: "bad request, 100%% not ünicode" } }
          - { name: down, match: { path-prefix: /down.Svc/ }, upstream: down }
          - { name: small, match: { path-prefix: /small.Svc/ }, upstream: silent, max-body-size: 16 }
          - { name: slow, match: { path-prefix: /slow.Svc/ }, upstream: silent, timeout: 300ms }
        """.formatted(Http.closedPort(), silent.actualPort()))));
    channel = GrpcBackend.channel(gateway.port());
    http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
  }

  static MethodDescriptor<byte[], byte[]> method(String service) {
    return GrpcBackend.UNARY.toBuilder().setFullMethodName(service + "/Call").build();
  }

  static StatusRuntimeException failure(String service, byte[] message) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() ->
        ClientCalls.blockingUnaryCall(channel, method(service), io.grpc.CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
            message));
    assertThat(thrown).isInstanceOf(StatusRuntimeException.class);
    return (StatusRuntimeException) thrown;
  }

  static StatusRuntimeException failure(String service) {
    return failure(service, GrpcBackend.bytes("hello"));
  }

  static String trailer(StatusRuntimeException e, String name) {
    return e.getTrailers().get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
  }

  @Test
  void noRouteIsUnimplemented() {
    StatusRuntimeException e = failure("nowhere.Svc");
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(e.getStatus().getDescription()).isEqualTo("no route matches the request");
  }

  @Test
  void authenticationRefusalIsUnauthenticatedWithItsChallengeAsMetadata() {
    StatusRuntimeException e = failure("auth.Svc");
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(trailer(e, "www-authenticate")).isEqualTo("Bearer realm=\"portico\"");
    assertThat(failure("scope.Svc").getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    // the exchange's log carries the status the client got, for the access log and the traces
    await().atMost(Duration.ofSeconds(20)).until(() -> UpstreamLogPluginFactory.GRPC_STATUSES.containsValue(7));
  }

  @Test
  void rateLimitedIsResourceExhaustedWithTheRateLimitHeadersAsMetadata() {
    StatusRuntimeException e = failure("limited.Svc");
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(trailer(e, "ratelimit-limit")).isEqualTo("10");
    assertThat(trailer(e, "ratelimit-remaining")).isEqualTo("0");
    assertThat(trailer(e, "retry-after")).isEqualTo("3");
  }

  @Test
  void otherStatusesFollowTheHttpMappingAndTheMessageArrivesDecoded() {
    StatusRuntimeException e = failure("bad.Svc");
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL); // 400, as gRPC maps it
    assertThat(e.getStatus().getDescription()).isEqualTo("refused by the reply plugin: bad request, 100% not ünicode");
  }

  @Test
  void everyEndpointDownIsUnavailable() {
    StatusRuntimeException e = failure("down.Svc");
    assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void aBodyOverTheLimitIsResourceExhausted() {
    StatusRuntimeException e = failure("small.Svc", new byte[100]);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).isEqualTo("the request body is too large");
  }

  @Test
  void theRouteTimeoutIsDeadlineExceeded() {
    long start = System.nanoTime();
    StatusRuntimeException e = failure("slow.Svc");
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aPlainHttpRequestStillGetsJsonErrors() {
    Answer noRoute = Http.send(http, new RequestOptions().setURI("/nowhere.Svc/Call"));
    assertThat(noRoute.status()).isEqualTo(404);
    assertThat(new JsonObject(noRoute.body()).getString("error")).isEqualTo("no_route");
    assertThat(noRoute.header("grpc-status")).isNull();

    Answer limited = Http.send(http, new RequestOptions().setMethod(HttpMethod.POST).setURI("/limited.Svc/Call")
        .putHeader("content-type", "application/json"), io.vertx.core.buffer.Buffer.buffer("{}"));
    assertThat(limited.status()).isEqualTo(429);
    assertThat(new JsonObject(limited.body()).getString("error")).isEqualTo("rate_limited");
    assertThat(limited.header("RateLimit-Remaining")).isEqualTo("0");
  }

  @Test
  void onHttp2TheAnswerIsOneHeadersFrameThatEndsTheStream() {
    try (io.portico.testing.RawHttp2 h2 = io.portico.testing.RawHttp2.priorKnowledge(gateway.port())) {
      h2.headers(1, true, java.util.List.of(":method", "POST", ":scheme", "http", ":authority", "127.0.0.1",
          ":path", "/limited.Svc/Call", "content-type", "application/grpc", "te", "trailers"));
      io.portico.testing.RawHttp2.Outcome outcome = h2.await(1);
      assertThat(outcome.status()).isEqualTo(200);
      assertThat(h2.endedWithHeaders(1)).isTrue();
      assertThat(h2.headerBlocks(1)).hasSize(1);
      var head = h2.headerBlocks(1).get(0);
      assertThat(head.get("grpc-status").toString()).isEqualTo("8");
      assertThat(head.get("content-type").toString()).isEqualTo("application/grpc");
      assertThat(head.get("ratelimit-remaining").toString()).isEqualTo("0");
    }
  }

  @Test
  void aGrpcPostOverHttp1GetsATrailersOnlyHead() {
    Answer answer = Http.send(http, new RequestOptions().setMethod(HttpMethod.POST).setURI("/nowhere.Svc/Call")
        .putHeader("content-type", "application/grpc+proto"), io.vertx.core.buffer.Buffer.buffer(new byte[5]));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("content-type")).isEqualTo("application/grpc");
    assertThat(answer.header("grpc-status")).isEqualTo("12");
    assertThat(answer.body()).isEmpty();
  }
}
