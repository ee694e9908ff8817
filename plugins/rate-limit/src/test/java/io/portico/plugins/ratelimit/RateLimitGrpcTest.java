package io.portico.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** rate-limit on a gRPC route: past the limit a grpc-java client reads RESOURCE_EXHAUSTED with the rate-limit metadata. */
class RateLimitGrpcTest {
  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
  static final MethodDescriptor<byte[], byte[]> GET = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("orders.v1.Orders/Get")
      .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

  TestBackend backend;
  TestGateway gateway;
  ManagedChannel channel;

  @BeforeEach
  void start() {
    backend = TestBackend.start(request -> request.response().putHeader("content-type", "application/grpc")
        .putHeader("grpc-status", "0").end());
    gateway = TestGateway.start("""
        upstreams: [{ name: b, endpoints: [%s] }]
        routes:
          - name: orders
            match: { path-prefix: /orders.v1.Orders/ }
            upstream: b
            plugins:
              rate-limit: { limits: [{ capacity: 2, per: 1m }] }
        """.formatted(backend.address()));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    gateway.close();
    backend.close();
  }

  static String trailer(StatusRuntimeException e, String name) {
    return e.getTrailers().get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
  }

  @Test
  void pastTheLimitIsResourceExhaustedWithTheRateLimitMetadata() {
    for (int i = 0; i < 2; i++) {
      catchThrowable(() -> ClientCalls.blockingUnaryCall(channel, GET, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), new byte[] {1}));
    }
    assertThat(backend.requestCount()).isEqualTo(2);

    Throwable thrown = catchThrowable(() -> ClientCalls.blockingUnaryCall(channel, GET,
        CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), new byte[] {1}));

    assertThat(thrown).isInstanceOf(StatusRuntimeException.class);
    StatusRuntimeException e = (StatusRuntimeException) thrown;
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(trailer(e, "ratelimit-limit")).isEqualTo("2");
    assertThat(trailer(e, "ratelimit-remaining")).isEqualTo("0");
    assertThat(trailer(e, "retry-after")).isNotBlank();
    assertThat(backend.requestCount()).isEqualTo(2);
  }
}
