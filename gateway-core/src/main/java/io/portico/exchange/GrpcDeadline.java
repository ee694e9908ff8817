package io.portico.exchange;

import io.portico.grpc.GrpcAnswers;
import io.portico.grpc.GrpcProtocol;
import io.portico.grpc.GrpcStatus;
import io.portico.upstream.ResponseRelay;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * The client's gRPC deadline once the answer's head is out (before it, the upstream try's timeout
 * is bounded by the deadline, see {@link GrpcCall#callTimeoutMillis}): when it passes while the
 * body still streams, the upstream try is cut and the client's stream ends with trailers
 * {@code grpc-status: 4} (DEADLINE_EXCEEDED), or is reset where no trailers can follow.
 */
final class GrpcDeadline {
  private final ProxyExchange exchange;
  private final ResponseRelay relay;
  private final Runnable onEnd;
  private final long timer;

  private GrpcDeadline(ProxyExchange exchange, ResponseRelay relay, Runnable onEnd, long delayMillis) {
    this.exchange = exchange;
    this.relay = relay;
    this.onEnd = onEnd;
    this.timer = exchange.context.owner().setTimer(delayMillis, id -> expired());
  }

  /** Watches the deadline of a gRPC call whose answer body is being relayed; {@code null} when it has none. */
  static GrpcDeadline armAfterHead(ProxyExchange exchange, ResponseRelay relay, Runnable onEnd) {
    GrpcCall grpc = exchange.grpc;
    if (grpc == null || !grpc.hasDeadline()) {
      return null;
    }
    long left = Math.max(1, grpc.remainingNanos() / 1_000_000);
    return new GrpcDeadline(exchange, relay, onEnd, left);
  }

  void cancel() {
    exchange.context.owner().cancelTimer(timer);
  }

  private void expired() {
    if (relay.ended()) {
      return;
    }
    relay.abort(); // the upstream try is given up: its connection or stream is closed
    exchange.grpc.status(GrpcStatus.DEADLINE_EXCEEDED);
    exchange.trace.errorCode(GrpcAnswers.DEADLINE_EXCEEDED.error());
    HttpServerResponse response = exchange.request.response();
    if (exchange.request.version() == HttpVersion.HTTP_2 || response.isChunked()) {
      response.trailers().set(GrpcProtocol.GRPC_STATUS, GrpcStatus.DEADLINE_EXCEEDED.header());
      response.trailers().set(GrpcProtocol.GRPC_MESSAGE, GrpcProtocol.encodeMessage(GrpcAnswers.DEADLINE_EXCEEDED.message()));
      response.end().onComplete(ar -> onEnd.run());
    } else {
      response.reset();
      onEnd.run();
    }
  }

  /**
   * Puts the final gRPC status of the exchange on it at the exchange's end, for its
   * {@link io.portico.spi.ExchangeLog#grpcStatus()} (which the metrics, access log and tracing
   * plugins read).
   */
  static void recordStatus(ProxyExchange exchange, boolean headWritten) {
    exchange.grpc.status(exchange.grpc.finalStatus(exchange.request.response(), headWritten ? exchange.status() : 0));
  }
}
