package io.portico.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.GrpcBackend;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC through the gateway end to end: a real grpc-java client speaks h2c to the gateway, which
 * speaks h2c ({@code protocol: h2c}) to a real grpc-java server. Messages, trailers, deadlines and
 * cancellations pass unchanged; an upstream's graceful shutdown loses no call.
 */
class GrpcPassThroughTest {
  private static final int MIB = 1024 * 1024;

  @TempDir
  Path dir;
  Vertx vertx;
  GrpcBackend backend;
  Gateway gateway;
  ManagedChannel channel;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    backend = GrpcBackend.start();
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (gateway != null) {
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    }
    backend.close();
    Await.result(vertx.close());
  }

  void gateway(String endpoints) {
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - name: grpc
            endpoints: [%s]
            protocol: h2c
            http2: { max-concurrent-streams: 100, max-connections: 2, ping-interval: 5s }
        routes:
          - name: grpc
            match: { path-prefix: /test.Echo/ }
            upstream: grpc
            timeout: 30s
            retries: { attempts: 3, on: [connect-failure, reset], non-idempotent: true }
        """.formatted(endpoints))));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext()
        .maxInboundMessageSize(32 * MIB).build();
  }

  void gateway() {
    gateway("127.0.0.1:" + backend.port());
  }

  byte[] unary(String command) {
    return ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
        GrpcBackend.bytes(command));
  }

  @Test
  void unaryCallPasses() {
    gateway();

    assertThat(GrpcBackend.text(unary("hello"))).isEqualTo("hello");
    assertThat(backend.calls()).isEqualTo(1);
  }

  @Test
  void tenThousandStreamedMessagesPass() {
    gateway();

    Iterator<byte[]> messages = ClientCalls.blockingServerStreamingCall(channel, GrpcBackend.STREAM,
        CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), GrpcBackend.bytes("10000:100"));
    int count = 0;
    while (messages.hasNext()) {
      assertThat(messages.next()).hasSize(100);
      count++;
    }

    assertThat(count).isEqualTo(10_000);
  }

  @Test
  void clientStreamingPasses() throws Exception {
    gateway();
    CompletableFuture<byte[]> answer = new CompletableFuture<>();
    StreamObserver<byte[]> requests = ClientCalls.asyncClientStreamingCall(
        channel.newCall(GrpcBackend.SUM, CallOptions.DEFAULT), observer(answer, null));

    for (int i = 0; i < 1000; i++) {
      requests.onNext(new byte[10]);
    }
    requests.onCompleted();

    assertThat(GrpcBackend.text(answer.get(30, TimeUnit.SECONDS))).isEqualTo("1000:10000");
  }

  @Test
  void bidirectionalEchoPasses() throws Exception {
    gateway();
    List<String> echoed = new CopyOnWriteArrayList<>();
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(
        channel.newCall(GrpcBackend.CHAT, CallOptions.DEFAULT), observer(done, echoed));

    for (int i = 0; i < 100; i++) {
      requests.onNext(GrpcBackend.bytes("m" + i));
    }
    requests.onCompleted();
    done.get(30, TimeUnit.SECONDS);

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add("m" + i);
    }
    assertThat(echoed).containsExactlyElementsOf(expected);
  }

  /**
   * 16 MiB each way. The gateway holds no message: a stream's window (64 KiB upstream, the client
   * connection's write queue downstream) bounds what it keeps, as flow control and back-pressure pass
   * through it.
   */
  @Test
  void sixteenMebibytesPassBothWays() throws Exception {
    gateway();
    long t0 = System.nanoTime();

    Iterator<byte[]> big = ClientCalls.blockingServerStreamingCall(channel, GrpcBackend.STREAM,
        CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), GrpcBackend.bytes("1:" + 16 * MIB));
    assertThat(big.next()).hasSize(16 * MIB);
    assertThat(big.hasNext()).isFalse();
    long t1 = System.nanoTime();

    CompletableFuture<byte[]> answer = new CompletableFuture<>();
    StreamObserver<byte[]> requests = ClientCalls.asyncClientStreamingCall(
        channel.newCall(GrpcBackend.SUM, CallOptions.DEFAULT), observer(answer, null));
    for (int i = 0; i < 16; i++) {
      requests.onNext(new byte[MIB]); // the server's inbound limit is 4 MiB per message
    }
    requests.onCompleted();
    assertThat(GrpcBackend.text(answer.get(60, TimeUnit.SECONDS))).isEqualTo("16:" + 16 * MIB);
    System.out.printf("16 MiB down in %d ms, up in %d ms%n", (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
  }

  @Test
  void statusAndCustomTrailersReachTheClient() {
    gateway();

    assertThatThrownBy(() -> unary("fail:5")).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(e.getStatus().getDescription()).isEqualTo("failed on request");
      assertThat(e.getTrailers().get(GrpcBackend.DETAIL)).isEqualTo("why");
    });

    AtomicReference<Metadata> trailers = new AtomicReference<>();
    byte[] answer = ClientCalls.blockingUnaryCall(
        ClientInterceptors.intercept(channel, MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), trailers)),
        GrpcBackend.UNARY, CallOptions.DEFAULT, GrpcBackend.bytes("trailer"));
    assertThat(GrpcBackend.text(answer)).isEqualTo("trailer");
    assertThat(trailers.get().get(GrpcBackend.CUSTOM)).isEqualTo("yes");
  }

  @Test
  void aClientDeadlineCancelsTheUpstreamCall() {
    gateway();
    long start = System.nanoTime();

    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY,
        CallOptions.DEFAULT.withDeadlineAfter(100, TimeUnit.MILLISECONDS), GrpcBackend.bytes("sleep:1000")))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
    await().atMost(Duration.ofSeconds(5)).until(() -> backend.cancellations() == 1);
  }

  @Test
  void theRouteTimeoutResetsTheUpstreamStream() {
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - { name: grpc, endpoints: [127.0.0.1:%d], protocol: h2c }
        routes:
          - { name: grpc, upstream: grpc, timeout: 200ms }
        """.formatted(backend.port()))));
    channel = GrpcBackend.channel(gateway.port());

    // no client deadline: only the gateway's route timeout ends the call
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, CallOptions.DEFAULT,
        GrpcBackend.bytes("sleep:3000"))).isInstanceOf(StatusRuntimeException.class);

    await().atMost(Duration.ofSeconds(2)).until(() -> backend.cancellations() == 1);
  }

  @Test
  void aClientCancellingAServerStreamCancelsTheUpstreamStream() {
    gateway();
    AtomicInteger received = new AtomicInteger();
    ClientCall<byte[], byte[]> call = channel.newCall(GrpcBackend.STREAM, CallOptions.DEFAULT);
    ClientCalls.asyncServerStreamingCall(call, GrpcBackend.bytes("1000000:10"), new StreamObserver<>() {
      @Override
      public void onNext(byte[] value) {
        received.incrementAndGet();
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> received.get() > 100);

    long cancelled = System.nanoTime();
    call.cancel("enough", null);

    await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(5)).until(() -> backend.cancellations() == 1);
    System.out.printf("server saw the cancellation after %d ms%n", (System.nanoTime() - cancelled) / 1_000_000);
  }

  @Test
  void anUpstreamGoingAwayMidLoadFailsNoCall() throws Exception {
    try (GrpcBackend other = GrpcBackend.start()) {
      gateway("127.0.0.1:" + backend.port() + ", 127.0.0.1:" + other.port());
      ExecutorService callers = Executors.newFixedThreadPool(4);
      AtomicInteger succeeded = new AtomicInteger();
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      AtomicBoolean stopping = new AtomicBoolean();
      List<Future<?>> loops = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        loops.add(callers.submit(() -> {
          for (int i = 0; i < 250; i++) {
            try {
              unary("call " + i);
              succeeded.incrementAndGet();
            } catch (RuntimeException e) {
              failures.add(e);
            }
          }
        }));
      }
      long loadStart = System.nanoTime();
      await().atMost(Duration.ofSeconds(20)).until(() -> succeeded.get() > 100);
      System.out.printf("200 calls in %d ms%n", (System.nanoTime() - loadStart) / 1_000_000);
      stopping.set(true);
      long started = System.nanoTime();
      backend.shutdownGracefully(); // GOAWAY while calls are in flight; then its port closes
      long stopped = System.nanoTime();
      System.out.printf("graceful shutdown took %d ms, %d calls done%n", (stopped - started) / 1_000_000, succeeded.get());
      for (Future<?> loop : loops) {
        loop.get(60, TimeUnit.SECONDS);
      }
      System.out.printf("all calls done %d ms after the shutdown%n", (System.nanoTime() - started) / 1_000_000);
      callers.shutdown();

      assertThat(failures).isEmpty();
      assertThat(succeeded.get()).isEqualTo(1000);
      assertThat(other.calls()).isGreaterThan(0);
    }
  }

  static StreamObserver<byte[]> observer(CompletableFuture<byte[]> done, List<String> each) {
    return new StreamObserver<>() {
      byte[] last;

      @Override
      public void onNext(byte[] value) {
        last = value;
        if (each != null) {
          each.add(GrpcBackend.text(value));
        }
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(last);
      }
    };
  }
}
