package io.portico.health;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The wire format of a {@code grpc.health.v1.Health/Check} call, encoded and judged by hand (the
 * two messages have one field each, so no protobuf library is needed):
 * <pre>
 * message HealthCheckRequest { string service = 1; }
 * message HealthCheckResponse { ServingStatus status = 1; }   // UNKNOWN 0, SERVING 1, NOT_SERVING 2, SERVICE_UNKNOWN 3
 * </pre>
 * A check passes only on {@code grpc-status: 0} with a response saying SERVING.
 */
final class GrpcHealthProbe {
  static final String PATH = "/grpc.health.v1.Health/Check";
  private static final int SERVING = 1;
  private static final String[] STATUS_NAMES = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};

  private GrpcHealthProbe() {}

  /** What a check concluded, and the detail shown as the endpoint's last check. */
  record Verdict(boolean passed, String detail) {}

  /** The request body: one uncompressed gRPC frame holding {@code HealthCheckRequest{service}}. */
  static Buffer request(String service) {
    byte[] name = service.getBytes(StandardCharsets.UTF_8);
    Buffer message = Buffer.buffer(name.length + 6);
    if (name.length > 0) { // proto3 leaves a default (empty) string out
      message.appendByte((byte) 0x0A); // field 1, wire type 2 (length-delimited)
      appendVarint(message, name.length);
      message.appendBytes(name);
    }
    return Buffer.buffer(5 + message.length()).appendByte((byte) 0).appendInt(message.length()).appendBuffer(message);
  }

  /**
   * Judges an answer: the HTTP status, the {@code grpc-status} (from the trailers, or from the head
   * of a trailers-only answer) and the serving status in the response message.
   */
  static Verdict judge(int httpStatus, MultiMap headers, MultiMap trailers, Buffer body) {
    if (httpStatus != 200) {
      return new Verdict(false, "http " + httpStatus);
    }
    String grpcStatus = trailers != null && trailers.get("grpc-status") != null ? trailers.get("grpc-status") : headers.get("grpc-status");
    if (grpcStatus == null) {
      return new Verdict(false, "no grpc-status");
    }
    if (!grpcStatus.trim().equals("0")) {
      String message = trailers != null && trailers.get("grpc-message") != null ? trailers.get("grpc-message") : headers.get("grpc-message");
      return new Verdict(false, "grpc-status " + grpcStatus.trim() + (message == null ? "" : " " + message));
    }
    int status = servingStatus(body);
    if (status < 0) {
      return new Verdict(false, "malformed health response");
    }
    String name = status < STATUS_NAMES.length ? STATUS_NAMES[status] : "status " + status;
    return new Verdict(status == SERVING, name);
  }

  /**
   * The {@code status} of the first message in {@code body}: 0 (UNKNOWN, proto3's default) when the
   * field is absent, -1 when the body is not a single well-formed uncompressed frame.
   */
  static int servingStatus(Buffer body) {
    if (body.length() < 5 || body.getByte(0) != 0) {
      return -1; // no frame, or a compressed one (never asked for: no grpc-accept-encoding is sent)
    }
    long length = body.getUnsignedInt(1);
    if (length != body.length() - 5) {
      return -1;
    }
    int status = 0;
    int at = 5;
    int end = body.length();
    while (at < end) {
      long[] key = varint(body, at, end);
      if (key == null) {
        return -1;
      }
      at = (int) key[1];
      int field = (int) (key[0] >>> 3);
      int wireType = (int) (key[0] & 7);
      if (wireType == 0) {
        long[] value = varint(body, at, end);
        if (value == null) {
          return -1;
        }
        at = (int) value[1];
        if (field == 1) {
          status = (int) value[0]; // the last occurrence wins, as protobuf says
        }
      } else if (wireType == 2) { // an unknown length-delimited field: skipped
        long[] length2 = varint(body, at, end);
        if (length2 == null || length2[0] > end - length2[1]) {
          return -1;
        }
        at = (int) (length2[1] + length2[0]);
      } else if (wireType == 1 || wireType == 5) { // fixed 64 / fixed 32: skipped
        at += wireType == 1 ? 8 : 4;
        if (at > end) {
          return -1;
        }
      } else {
        return -1;
      }
    }
    return status;
  }

  /** The varint at {@code at}: {value, index after it}, or null when it runs past {@code end}. */
  private static long[] varint(Buffer bytes, int at, int end) {
    long value = 0;
    for (int shift = 0; shift < 64 && at < end; shift += 7) {
      byte b = bytes.getByte(at++);
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return new long[] {value, at};
      }
    }
    return null;
  }

  private static void appendVarint(Buffer target, int value) {
    while ((value & ~0x7F) != 0) {
      target.appendByte((byte) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    target.appendByte((byte) value);
  }
}
