package io.portico.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The grpc-timeout header, the gRPC status names and the grpc-message encoding. */
class GrpcTimeoutTest {

  @Test
  void parsesEveryUnit() {
    assertThat(GrpcTimeout.parse("1H")).isEqualTo(3_600_000_000_000L);
    assertThat(GrpcTimeout.parse("2M")).isEqualTo(120_000_000_000L);
    assertThat(GrpcTimeout.parse("3S")).isEqualTo(3_000_000_000L);
    assertThat(GrpcTimeout.parse("100m")).isEqualTo(100_000_000L);
    assertThat(GrpcTimeout.parse("7u")).isEqualTo(7_000L);
    assertThat(GrpcTimeout.parse("99999999n")).isEqualTo(99_999_999L);
    assertThat(GrpcTimeout.parse("99999999H")).isEqualTo(Long.MAX_VALUE); // saturates
  }

  @Test
  void refusesWhatIsNotOneToEightDigitsAndAUnit() {
    assertThat(GrpcTimeout.parse(null)).isEqualTo(GrpcTimeout.ABSENT);
    for (String bad : new String[] {"", "S", "123456789S", "5s", "5", "-5S", "+5S", "1.5S", " 5S", "5 S"}) {
      assertThat(GrpcTimeout.parse(bad)).as(bad).isEqualTo(GrpcTimeout.INVALID);
    }
  }

  @Test
  void formatsInTheFinestUnitThatFitsAndNeverRoundsDown() {
    assertThat(GrpcTimeout.format(5_000_000_000L)).isEqualTo("5000000u");
    assertThat(GrpcTimeout.format(99_999_999L)).isEqualTo("99999999n");
    assertThat(GrpcTimeout.format(100_000_001L)).isEqualTo("100001u");
    assertThat(GrpcTimeout.format(0)).isEqualTo("1n");
    assertThat(GrpcTimeout.format(-5)).isEqualTo("1n");
    assertThat(GrpcTimeout.format(Long.MAX_VALUE)).matches("\\d{1,8}H");
    for (long nanos : new long[] {1, 999, 123_456_789, 7_777_777_777L, 86_400_000_000_000L}) {
      assertThat(GrpcTimeout.parse(GrpcTimeout.format(nanos))).isGreaterThanOrEqualTo(nanos);
    }
  }

  @Test
  void statusNamesAreTheSeventeenCodesInKebabCase() {
    assertThat(GrpcStatus.values()).hasSize(17);
    assertThat(GrpcStatus.forConfigName("resource-exhausted")).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(GrpcStatus.forConfigName("unavailable").code()).isEqualTo(14);
    assertThat(GrpcStatus.forConfigName("UNAVAILABLE")).isNull();
    assertThat(GrpcStatus.parse("16")).isEqualTo(GrpcStatus.UNAUTHENTICATED);
    assertThat(GrpcStatus.parse("17")).isNull();
    assertThat(GrpcStatus.parse("x")).isNull();
  }

  @Test
  void httpStatusesMapAsTheIssueAndGrpcSay() {
    assertThat(GrpcStatus.forAnswer(401)).isEqualTo(GrpcStatus.UNAUTHENTICATED);
    assertThat(GrpcStatus.forAnswer(403)).isEqualTo(GrpcStatus.PERMISSION_DENIED);
    assertThat(GrpcStatus.forAnswer(404)).isEqualTo(GrpcStatus.UNIMPLEMENTED);
    assertThat(GrpcStatus.forAnswer(429)).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(GrpcStatus.forAnswer(413)).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(GrpcStatus.forAnswer(502)).isEqualTo(GrpcStatus.UNAVAILABLE);
    assertThat(GrpcStatus.forAnswer(503)).isEqualTo(GrpcStatus.UNAVAILABLE);
    assertThat(GrpcStatus.forAnswer(504)).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
    assertThat(GrpcStatus.forAnswer(400)).isEqualTo(GrpcStatus.INTERNAL);
    assertThat(GrpcStatus.forAnswer(500)).isEqualTo(GrpcStatus.UNKNOWN);
  }

  @Test
  void grpcContentTypesAreRecognised() {
    assertThat(GrpcProtocol.isGrpc("application/grpc")).isTrue();
    assertThat(GrpcProtocol.isGrpc("application/grpc+proto")).isTrue();
    assertThat(GrpcProtocol.isGrpc("application/grpc-web+proto")).isTrue();
    assertThat(GrpcProtocol.isGrpc("application/grpc-web-text")).isTrue();
    assertThat(GrpcProtocol.isGrpc("Application/GRPC")).isTrue();
    assertThat(GrpcProtocol.isGrpc("application/grpcx")).isFalse();
    assertThat(GrpcProtocol.isGrpc("application/json")).isFalse();
    assertThat(GrpcProtocol.isGrpc(null)).isFalse();
  }

  @Test
  void messagesArePercentEncodedAsTheSpecSays() {
    assertThat(GrpcProtocol.encodeMessage("plain text: ok")).isEqualTo("plain text: ok");
    assertThat(GrpcProtocol.encodeMessage("100% ü\n")).isEqualTo("100%25 %C3%BC%0A");
  }
}
