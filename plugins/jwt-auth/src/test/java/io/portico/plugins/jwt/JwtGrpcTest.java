package io.portico.plugins.jwt;

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
import io.grpc.stub.MetadataUtils;
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

/**
 * jwt-auth on a gRPC route, unchanged: the token comes from the {@code authorization} metadata, and
 * a refusal reaches a grpc-java client as UNAUTHENTICATED or PERMISSION_DENIED.
 */
class JwtGrpcTest {
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
  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  Idp idp;
  TestBackend backend;
  TestGateway gateway;
  ManagedChannel channel;

  @BeforeEach
  void start() {
    idp = new Idp();
    // a trailers-only OK: what an upstream behind an HTTP/1.1 hop can say
    backend = TestBackend.start(request -> request.response().putHeader("content-type", "application/grpc")
        .putHeader("grpc-status", "0").end());
    gateway = TestGateway.start("""
        upstreams: [{ name: b, endpoints: [%s] }]
        routes:
          - name: orders
            match: { path-prefix: /orders.v1.Orders/ }
            upstream: b
            plugins:
              jwt-auth: { issuer: %s, audiences: [users], jwks-uri: %s }
          - name: admin
            match: { path-prefix: /admin.v1.Admin/ }
            upstream: b
            plugins:
              jwt-auth: { issuer: %s, audiences: [users], jwks-uri: %s, scopes: [admin] }
        """.formatted(backend.address(), Idp.ISSUER, idp.jwksUri(), Idp.ISSUER, idp.jwksUri()));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    gateway.close();
    backend.close();
    idp.close();
  }

  Throwable call(String fullMethod, String token) {
    MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(fullMethod)
        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    Metadata metadata = new Metadata();
    if (token != null) {
      metadata.put(AUTHORIZATION, "Bearer " + token);
    }
    io.grpc.Channel authorized = io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata));
    return catchThrowable(() -> ClientCalls.blockingUnaryCall(authorized, method,
        CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), new byte[] {1, 2, 3}));
  }

  static Status.Code code(Throwable thrown) {
    assertThat(thrown).isInstanceOf(StatusRuntimeException.class);
    return ((StatusRuntimeException) thrown).getStatus().getCode();
  }

  @Test
  void noTokenIsUnauthenticatedWithTheChallengeAsMetadata() {
    Throwable thrown = call("orders.v1.Orders/Get", null);
    assertThat(code(thrown)).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(((StatusRuntimeException) thrown).getTrailers()
        .get(Metadata.Key.of("www-authenticate", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("Bearer realm=\"portico\"");
    assertThat(code(call("orders.v1.Orders/Get", "not-a-token"))).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(backend.requestCount()).isZero();
  }

  @Test
  void aMissingScopeIsPermissionDenied() {
    assertThat(code(call("admin.v1.Admin/Drop", idp.token("alice", c -> c.claim("scope", "read"))))).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(backend.requestCount()).isZero();
  }

  @Test
  void aValidTokenFromTheAuthorizationMetadataPasses() {
    Throwable thrown = call("orders.v1.Orders/Get", idp.token("alice", c -> { }));
    if (thrown != null) { // a trailers-only OK carries no message, which a unary call may call an error
      assertThat(code(thrown)).isNotIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED);
    }
    assertThat(backend.requestCount()).isEqualTo(1);
    assertThat(backend.requests().get(0).uri()).isEqualTo("/orders.v1.Orders/Get");
  }
}
