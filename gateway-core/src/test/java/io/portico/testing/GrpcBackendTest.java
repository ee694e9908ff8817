package io.portico.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.util.Iterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gRPC test backend answers its commands when called directly, the baseline of the proxy tests. */
class GrpcBackendTest {
  static GrpcBackend backend;
  static ManagedChannel channel;

  @BeforeAll
  static void start() {
    backend = GrpcBackend.start();
    channel = GrpcBackend.channel(backend.port());
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    backend.close();
  }

  @Test
  void echoesAndFailsOnCommand() {
    byte[] answer = ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, CallOptions.DEFAULT, GrpcBackend.bytes("hi"));
    assertThat(GrpcBackend.text(answer)).isEqualTo("hi");
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, CallOptions.DEFAULT,
        GrpcBackend.bytes("fail:5")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
          assertThat(e.getTrailers().get(GrpcBackend.DETAIL)).isEqualTo("why");
        });
  }

  @Test
  void streamsTheCountAskedFor() {
    Iterator<byte[]> messages = ClientCalls.blockingServerStreamingCall(channel, GrpcBackend.STREAM,
        CallOptions.DEFAULT, GrpcBackend.bytes("100:8"));
    int count = 0;
    while (messages.hasNext()) {
      assertThat(messages.next()).hasSize(8);
      count++;
    }
    assertThat(count).isEqualTo(100);
  }
}
