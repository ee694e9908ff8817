package io.portico.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
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
import io.portico.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grpc-timeout} as the call's deadline: the nearer of it and the route's timeout bounds the
 * upstream try, which is cut when it passes, and the upstream sees the header reduced by the time
 * the call spent in the gateway. Plain {@code application/grpc} POSTs over HTTP/1.1 reach HTTP/1
 * backends, so the gateway's side can be watched without an HTTP/2 upstream.
 */
class GrpcDeadlineTest {
  static Vertx vertx;
  static HttpServer silent;
  static final AtomicInteger silentClosed = new AtomicInteger();
  static RecordingBackend recording;
  static HttpServer stalling;
  static final AtomicInteger stallingClosed = new AtomicInteger();
  static NetServer mute;
  static GrpcBackend grpc;
  static Gateway gateway;
  static HttpClient http;

  @BeforeAll
  static void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    silent = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .connectionHandler(connection -> connection.closeHandler(v -> silentClosed.incrementAndGet()))
        .requestHandler(request -> { /* never answers */ });
    Await.result(silent.listen());
    stalling = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .connectionHandler(connection -> connection.closeHandler(v -> stallingClosed.incrementAndGet()))
        .requestHandler(request -> request.response().setChunked(true).putHeader("content-type", "application/grpc")
            .write(Buffer.buffer(new byte[] {0, 0, 0, 0, 1, 7}))); // one message, then the stream stalls
    Await.result(stalling.listen());
    // accepts connections and never speaks: an h2c connection to it never gets its SETTINGS
    mute = vertx.createNetServer().connectHandler(socket -> { });
    Await.result(mute.listen(0, "127.0.0.1"));
    grpc = GrpcBackend.start();
    recording = RecordingBackend.start(vertx, request -> request.response()
        .putHeader("content-type", "application/grpc").putHeader("grpc-status", "0").end());
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - { name: silent, endpoints: ["127.0.0.1:%d"] }
          - { name: recording, endpoints: ["127.0.0.1:%d"] }
          - { name: stalling, endpoints: ["127.0.0.1:%d"] }
          - { name: mute, endpoints: ["127.0.0.1:%d"], protocol: h2c }
          - { name: grpc, endpoints: ["127.0.0.1:%d"], protocol: h2c }
        routes:
          - { name: grpc, match: { path-prefix: /test.Echo/ }, upstream: grpc, timeout: 20s }
          - { name: mute, match: { path-prefix: /mute.Svc/ }, upstream: mute, timeout: 20s }
          - { name: stalling, match: { path-prefix: /stalling.Svc/ }, upstream: stalling, timeout: 20s }
          - { name: silent, match: { path-prefix: /silent.Svc/ }, upstream: silent, timeout: 20s }
          - { name: recording, match: { path-prefix: /recording.Svc/ }, upstream: recording, timeout: 20s }
        """.formatted(silent.actualPort(), recording.port(), stalling.actualPort(), mute.actualPort(), grpc.port()))));
    http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
    grpc.close();
  }

  static Answer call(String path, String timeout) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
        .putHeader("content-type", "application/grpc").putHeader("te", "trailers");
    if (timeout != null) {
      options.putHeader("grpc-timeout", timeout);
    }
    return Http.send(http, options, Buffer.buffer(new byte[] {0, 0, 0, 0, 1, 42}));
  }

  @Test
  void aShorterGrpcTimeoutWinsOverTheRouteTimeoutAndCutsTheUpstreamTry() {
    int closedBefore = silentClosed.get();
    long start = System.nanoTime();
    Answer answer = call("/silent.Svc/Call", "300m");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("grpc-status")).isEqualTo("4"); // DEADLINE_EXCEEDED, not the route's 20 s
    assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(20)).until(() -> silentClosed.get() > closedBefore); // the try was aborted
  }

  @Test
  void aDeadlinePassingMidBodyEndsTheStreamWithDeadlineExceededTrailersAndCutsTheUpstream() {
    int closedBefore = stallingClosed.get();
    long start = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI("/stalling.Svc/Call")
        .putHeader("content-type", "application/grpc").putHeader("te", "trailers").putHeader("grpc-timeout", "400m");
    io.vertx.core.MultiMap trailers = Await.result(http.request(options)
        .compose(request -> request.send(Buffer.buffer(new byte[] {0, 0, 0, 0, 1, 42}))
            .compose(response -> response.body().map(body -> {
              assertThat(response.statusCode()).isEqualTo(200);
              assertThat(body.length()).isEqualTo(6); // the message relayed before the deadline
              return response.trailers();
            }))));
    assertThat(trailers.get("grpc-status")).isEqualTo("4");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(350), Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(20)).until(() -> stallingClosed.get() > closedBefore);
  }

  @Test
  void aGrpcJavaClientDeadlineEndsTheCallInTimeAndTheUpstreamTry() throws InterruptedException {
    ManagedChannel channel = GrpcBackend.channel(gateway.port());
    try {
      // the channel's connection first, so the deadline below is spent in the gateway, not on it
      // (the recording backend's answer has no message, which grpc-java reports as an error)
      catchThrowable(() -> ClientCalls.blockingUnaryCall(channel, method("recording.Svc/Call"), CallOptions.DEFAULT,
          GrpcBackend.bytes("x")));
      int closedBefore = silentClosed.get();
      long start = System.nanoTime();
      Throwable thrown = catchThrowable(() -> ClientCalls.blockingUnaryCall(channel, method("silent.Svc/Call"),
          CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS), GrpcBackend.bytes("x")));

      assertThat(thrown).isInstanceOfSatisfying(StatusRuntimeException.class,
          e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5)); // not the route's 20 s
      await().atMost(Duration.ofSeconds(20)).until(() -> silentClosed.get() > closedBefore); // the upstream try was cut
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static MethodDescriptor<byte[], byte[]> method(String fullName) {
    return GrpcBackend.UNARY.toBuilder().setFullMethodName(fullName).build();
  }

  @Test
  void aDeadlinePassingWhileTheUpstreamConnectionIsMadeIsDeadlineExceeded() {
    long start = System.nanoTime();
    Answer answer = call("/mute.Svc/Call", "300m");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("grpc-status")).isEqualTo("4"); // not UNAVAILABLE
    assertThat(took).isLessThan(Duration.ofSeconds(5)); // the deadline, not the route's 20 s
  }

  @Test
  void anUpstreamGivingUpOnTheDeadlineIsDeadlineExceeded() {
    // grpc-java resets the stream when the deadline it was passed runs out, a moment before the
    // gateway's own timer: the client hears DEADLINE_EXCEEDED, not the reset's UNAVAILABLE
    for (int i = 0; i < 5; i++) {
      byte[] sleep = "sleep:2000".getBytes(StandardCharsets.UTF_8);
      Answer answer = Http.send(http, new RequestOptions().setMethod(HttpMethod.POST).setURI("/test.Echo/Unary")
          .putHeader("content-type", "application/grpc").putHeader("te", "trailers").putHeader("grpc-timeout", "200m"),
          Buffer.buffer().appendByte((byte) 0).appendInt(sleep.length).appendBytes(sleep));

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.headers().get("grpc-status")).as("call %d", i).isEqualTo("4");
    }
  }

  @Test
  void theUpstreamSeesTheGrpcTimeoutReducedByTheTimeSpent() {
    recording.clear();
    Answer answer = call("/recording.Svc/Call", "5S");
    assertThat(answer.header("grpc-status")).isEqualTo("0");
    String passed = recording.last().header("grpc-timeout");
    long nanos = GrpcTimeout.parse(passed);
    assertThat(nanos).as(passed).isLessThan(5_000_000_000L).isGreaterThan(3_000_000_000L);
    assertThat(passed).matches("\\d{1,8}[HMSmun]");
  }

  @Test
  void withoutAGrpcTimeoutNoneIsInvented() {
    recording.clear();
    call("/recording.Svc/Call", null);
    assertThat(recording.last().header("grpc-timeout")).isNull();
  }

  @Test
  void aMalformedGrpcTimeoutIsInternalAsGrpcJavaServersAnswerIt() {
    recording.clear();
    for (String bad : new String[] {"5s", "123456789S", "S", "-1S", "1.5S", "abc"}) {
      Answer answer = call("/recording.Svc/Call", bad);
      assertThat(answer.status()).as(bad).isEqualTo(200);
      assertThat(answer.header("grpc-status")).as(bad).isEqualTo("13");
    }
    assertThat(recording.received()).isEmpty();
  }

  @Test
  void aGrpcJavaClientDeadlineReachesTheUpstreamAsItsTimeout() throws InterruptedException {
    recording.clear();
    ManagedChannel channel = GrpcBackend.channel(gateway.port());
    try {
      // the backend's answer is trailers-only OK over HTTP/1.1, which the client reads as a call with no message
      Throwable thrown = catchThrowable(() -> ClientCalls.blockingUnaryCall(channel, method("recording.Svc/Call"),
          CallOptions.DEFAULT.withDeadlineAfter(8, TimeUnit.SECONDS), GrpcBackend.bytes("x")));
      if (thrown != null) {
        assertThat(((StatusRuntimeException) thrown).getStatus().getCode()).isNotEqualTo(Status.Code.DEADLINE_EXCEEDED);
      }
      long nanos = GrpcTimeout.parse(recording.last().header("grpc-timeout"));
      assertThat(nanos).isLessThan(8_000_000_000L).isGreaterThan(4_000_000_000L);
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
