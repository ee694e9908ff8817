package io.portico.grpc;

import io.vertx.core.MultiMap;
import java.util.Locale;

/**
 * The 17 status codes of gRPC, with the kebab-case names the config uses for them
 * ({@code unavailable}, {@code resource-exhausted}, …) and the mapping of an HTTP status to the code
 * a gRPC client derives from it (gRPC's "HTTP to gRPC status code mapping").
 */
public enum GrpcStatus {
  OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED,
  RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS,
  UNAUTHENTICATED;

  private static final GrpcStatus[] BY_CODE = values();
  private final String configName = name().toLowerCase(Locale.ROOT).replace('_', '-');
  private final String header = Integer.toString(ordinal());

  /** The numeric code, as sent in {@code grpc-status}. */
  public int code() {
    return ordinal();
  }

  /** The value of the {@code grpc-status} header. */
  public String header() {
    return header;
  }

  /** The kebab-case name used in config, such as {@code resource-exhausted}. */
  public String configName() {
    return configName;
  }

  /** The status with this numeric code, or {@code null} when there is none. */
  public static GrpcStatus of(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  /** The status of a {@code grpc-status} value, or {@code null} when absent or not a code. */
  public static GrpcStatus parse(String value) {
    if (value == null || value.isEmpty() || value.length() > 2) {
      return null;
    }
    int code = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      code = code * 10 + (c - '0');
    }
    return of(code);
  }

  /** The kebab-case names of the 17 codes, in code order. */
  public static java.util.List<String> configNames() {
    return java.util.Arrays.stream(BY_CODE).map(GrpcStatus::configName).toList();
  }

  /** The status named {@code name} in config (kebab case), or {@code null}. */
  public static GrpcStatus forConfigName(String name) {
    for (GrpcStatus status : BY_CODE) {
      if (status.configName.equals(name)) {
        return status;
      }
    }
    return null;
  }

  /**
   * The status of a trailers-only answer: its head's {@code grpc-status}, or {@code null} when the
   * head carries none (a normal answer, whose status comes in its trailers).
   */
  public static GrpcStatus ofHead(MultiMap headers) {
    return parse(headers.get(GrpcProtocol.GRPC_STATUS));
  }

  /**
   * The code for an answer with this HTTP status and no {@code grpc-status}: 400 → INTERNAL,
   * 401 → UNAUTHENTICATED, 403 → PERMISSION_DENIED, 404 → UNIMPLEMENTED, 429 and 502–504 →
   * UNAVAILABLE, anything else → UNKNOWN (as gRPC clients read it); the gateway's own answers use
   * {@link #forAnswer} instead, which is more specific.
   */
  public static GrpcStatus fromHttp(int status) {
    return switch (status) {
      case 400 -> INTERNAL;
      case 401 -> UNAUTHENTICATED;
      case 403 -> PERMISSION_DENIED;
      case 404 -> UNIMPLEMENTED;
      case 429, 502, 503, 504 -> UNAVAILABLE;
      default -> UNKNOWN;
    };
  }

  /**
   * The code the gateway answers with in place of its HTTP status {@code status} for a gRPC
   * request: 413 and 429 → RESOURCE_EXHAUSTED, 502/503 → UNAVAILABLE, 504 → DEADLINE_EXCEEDED,
   * 499 (cancelled) → CANCELLED, otherwise {@link #fromHttp}.
   */
  public static GrpcStatus forAnswer(int status) {
    return switch (status) {
      case 413, 429 -> RESOURCE_EXHAUSTED;
      case 502, 503 -> UNAVAILABLE;
      case 504 -> DEADLINE_EXCEEDED;
      case 499 -> CANCELLED;
      default -> fromHttp(status);
    };
  }
}
