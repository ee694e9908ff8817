package io.portico.exchange;

import io.portico.grpc.GrpcProtocol;
import io.portico.grpc.GrpcStatus;
import io.portico.grpc.GrpcTimeout;
import io.portico.upstream.UpstreamHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The gRPC side of an exchange whose request is a gRPC call ({@code content-type:
 * application/grpc*}): its deadline from {@code grpc-timeout}, and the gRPC status of its answer
 * once known. Confined to the exchange's event loop.
 */
final class GrpcCall {
  /** How near the deadline a failure counts as the deadline's (see {@link #deadlineReached()}). */
  private static final long DEADLINE_SKEW_NANOS = 10_000_000;

  private final long timeoutNanos;
  private final long startNanos;
  private GrpcStatus status;

  private GrpcCall(long timeoutNanos, long startNanos) {
    this.timeoutNanos = timeoutNanos;
    this.startNanos = startNanos;
  }

  /** The gRPC side of {@code request}, or {@code null} when it is not a gRPC call. */
  static GrpcCall of(HttpServerRequest request, long startNanos) {
    if (!GrpcProtocol.isGrpc(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
      return null;
    }
    return new GrpcCall(GrpcTimeout.parse(request.getHeader(GrpcProtocol.GRPC_TIMEOUT)), startNanos);
  }

  /** Whether the client sent a {@code grpc-timeout} that is not a timeout. */
  boolean invalidTimeout() {
    return timeoutNanos == GrpcTimeout.INVALID;
  }

  /** Whether the client set a deadline. */
  boolean hasDeadline() {
    return timeoutNanos >= 0;
  }

  /**
   * Whether the call has a deadline and it has passed, or all but passed: the upstream got the same
   * deadline less the time spent here, so its own cancellation (a reset stream) reaches the gateway
   * a moment before the gateway's timer fires; a failure that close to the deadline is the deadline.
   */
  boolean deadlineReached() {
    return hasDeadline() && remainingNanos() <= DEADLINE_SKEW_NANOS;
  }

  /** Nanoseconds left until the client's deadline (negative once passed); only with a deadline. */
  long remainingNanos() {
    return timeoutNanos - (System.nanoTime() - startNanos);
  }

  /**
   * The time the upstream call may take: the route's timeout, or what is left of the client's
   * deadline when that is nearer (at least 1 ms); 0 for none.
   */
  long callTimeoutMillis(long routeTimeoutMillis) {
    if (!hasDeadline()) {
      return routeTimeoutMillis;
    }
    long left = Math.max(1, remainingNanos() / 1_000_000);
    return routeTimeoutMillis <= 0 ? left : Math.min(routeTimeoutMillis, left);
  }

  /**
   * The headers for one upstream try: {@code base}'s, with {@code grpc-timeout} reduced by the time
   * already spent in the gateway (earlier tries included), so the upstream gives up when the
   * client does.
   */
  UpstreamHeaders headersFor(UpstreamHeaders base) {
    if (!hasDeadline()) {
      return base;
    }
    return target -> {
      base.writeTo(target);
      target.set(GrpcProtocol.GRPC_TIMEOUT, GrpcTimeout.format(remainingNanos()));
    };
  }

  /** The status of the answer, when the gateway answered or the head carried it. */
  void status(GrpcStatus known) {
    status = known;
  }

  /**
   * The client's stream was reset before the answer was complete: the client sees CANCELLED,
   * unless a status was already given (the deadline's trailers, whose stream closes right after).
   */
  void cutShort() {
    if (status == null) {
      status = GrpcStatus.CANCELLED;
    }
  }

  /** The status known so far, {@code null} before the end unless the gateway answered or the head carried it. */
  GrpcStatus status() {
    return status;
  }

  /** The answer head from the upstream: a trailers-only one carries the status already. */
  void upstreamHead(MultiMap headers) {
    status = GrpcStatus.ofHead(headers);
  }

  /**
   * The status the client got, read at the end of the exchange: the one already known (the
   * gateway's answer, a trailers-only head), else the trailers of the answer, else what a gRPC
   * client derives from the HTTP status; {@code CANCELLED} when the client got no answer.
   */
  GrpcStatus finalStatus(HttpServerResponse response, int sentStatus) {
    if (status != null) {
      return status;
    }
    if (sentStatus == 0) {
      return GrpcStatus.CANCELLED;
    }
    GrpcStatus trailed = GrpcStatus.parse(response.trailers().get(GrpcProtocol.GRPC_STATUS));
    if (trailed != null) {
      return trailed;
    }
    return sentStatus == 200 ? GrpcStatus.UNKNOWN : GrpcStatus.fromHttp(sentStatus);
  }
}
