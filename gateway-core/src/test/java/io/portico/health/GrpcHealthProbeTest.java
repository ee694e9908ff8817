package io.portico.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The hand-made health check messages agree with the protobuf ones. */
class GrpcHealthProbeTest {

  private static Buffer frame(byte[] message) {
    return Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
  }

  @Test
  void theRequestIsAFramedHealthCheckRequest() throws Exception {
    for (String service : new String[] {"", "orders.v1.Orders", "x".repeat(300), "ünïcode.Svc"}) {
      Buffer request = GrpcHealthProbe.request(service);
      assertThat(request.getByte(0)).isZero();
      assertThat(request.getInt(1)).isEqualTo(request.length() - 5);
      HealthCheckRequest parsed = HealthCheckRequest.parseFrom(request.getBytes(5, request.length()));
      assertThat(parsed.getService()).isEqualTo(service);
      assertThat(request).isEqualTo(frame(HealthCheckRequest.newBuilder().setService(service).build().toByteArray()));
    }
  }

  @Test
  void onlyServingWithStatusZeroPasses() {
    MultiMap ok = MultiMap.caseInsensitiveMultiMap().add("grpc-status", "0");
    MultiMap head = MultiMap.caseInsensitiveMultiMap();
    for (HealthCheckResponse.ServingStatus status : HealthCheckResponse.ServingStatus.values()) {
      if (status == HealthCheckResponse.ServingStatus.UNRECOGNIZED) {
        continue;
      }
      Buffer body = frame(HealthCheckResponse.newBuilder().setStatus(status).build().toByteArray());
      GrpcHealthProbe.Verdict verdict = GrpcHealthProbe.judge(200, head, ok, body);
      assertThat(verdict.passed()).as(status.name()).isEqualTo(status == HealthCheckResponse.ServingStatus.SERVING);
      assertThat(verdict.detail()).isEqualTo(status.name());
    }
  }

  @Test
  void errorsAndMalformedAnswersFail() {
    Buffer serving = frame(new byte[] {0x08, 0x01});
    MultiMap empty = MultiMap.caseInsensitiveMultiMap();
    MultiMap failed = MultiMap.caseInsensitiveMultiMap().add("grpc-status", "5").add("grpc-message", "unknown service");

    assertThat(GrpcHealthProbe.judge(200, failed, empty, Buffer.buffer())) // trailers-only
        .isEqualTo(new GrpcHealthProbe.Verdict(false, "grpc-status 5 unknown service"));
    assertThat(GrpcHealthProbe.judge(200, empty, failed, serving).passed()).isFalse();
    assertThat(GrpcHealthProbe.judge(503, empty, empty, serving)).isEqualTo(new GrpcHealthProbe.Verdict(false, "http 503"));
    assertThat(GrpcHealthProbe.judge(200, empty, empty, serving)).isEqualTo(new GrpcHealthProbe.Verdict(false, "no grpc-status"));
    MultiMap ok = MultiMap.caseInsensitiveMultiMap().add("grpc-status", "0");
    assertThat(GrpcHealthProbe.judge(200, empty, ok, Buffer.buffer()).passed()).isFalse();
    assertThat(GrpcHealthProbe.judge(200, empty, ok, frame(new byte[] {0x08})).detail()).isEqualTo("malformed health response");
    assertThat(GrpcHealthProbe.judge(200, empty, ok, frame(new byte[0])).detail()).isEqualTo("UNKNOWN");
    assertThat(GrpcHealthProbe.judge(200, empty, ok, serving)).isEqualTo(new GrpcHealthProbe.Verdict(true, "SERVING"));
    // an unknown field before the status is skipped
    assertThat(GrpcHealthProbe.judge(200, empty, ok, frame(new byte[] {0x12, 0x01, 0x41, 0x08, 0x01})).passed()).isTrue();
  }
}
