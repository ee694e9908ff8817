package io.portico.exchange;

import io.portico.upstream.RequestBody;
import io.portico.upstream.RetryPolicy;
import io.portico.upstream.StreamedBody;
import io.vertx.core.Future;

/**
 * How an exchange's request body goes to the upstream, chosen once before the first try:
 * <ul>
 *   <li>buffered, when a plugin already read it: every try sends the buffer;
 *   <li>read whole first, when the method may be retried and the declared length is at most
 *       {@link #REPLAY_LIMIT} (and within the route's limit), so that a retry can send it again;
 *   <li>streamed with back-pressure otherwise (chunked, larger, or not retryable): a retry is then
 *       possible only before any of it left;
 *   <li>none, for a request without a body.
 * </ul>
 */
final class BodyPlan {
  /**
   * A retryable request with a body of at most this declared length is read whole first, so that a
   * retry can send it again; a larger or chunked one streams and is retried only before it left.
   */
  static final long REPLAY_LIMIT = 64 * 1024;

  private final ProxyExchange exchange;
  private final Runnable onBodyTooLarge;
  private StreamedBody streamed;

  /** @param onBodyTooLarge called when a streamed body goes past the route's limit */
  BodyPlan(ProxyExchange exchange, Runnable onBodyTooLarge) {
    this.exchange = exchange;
    this.onBodyTooLarge = onBodyTooLarge;
  }

  /** The body the tries send; already complete unless it must be read first. */
  Future<RequestBody> choose(RetryPolicy policy) {
    BodyReader reader = exchange.bodyReader;
    if (reader != null && reader.started()) {
      return reader.read().map(RequestBody::buffered);
    }
    if (exchange.hasBody && UpstreamCall.retryable(exchange, policy) && exchange.declaredLength >= 0
        && exchange.declaredLength <= REPLAY_LIMIT && exchange.declaredLength <= exchange.routeLimit()) {
      return exchange.body(REPLAY_LIMIT).map(RequestBody::buffered);
    }
    return Future.succeededFuture(streamingBody());
  }

  private RequestBody streamingBody() {
    if (!exchange.hasBody) {
      return RequestBody.NONE;
    }
    streamed = new StreamedBody(exchange.request, exchange.declaredLength,
        exchange.routeLimit() == Long.MAX_VALUE ? -1 : exchange.routeLimit(),
        RequestFraming.expectsContinue(exchange.request), onBodyTooLarge);
    return streamed;
  }

  /** Stops streaming the body (the answer no longer needs it). */
  void stop() {
    if (streamed != null) {
      streamed.stop(true);
    }
  }

  /** Puts the streamed body's size on the exchange's trace. */
  void recordBytes() {
    if (streamed != null) {
      exchange.trace.bytesReceived(streamed.received());
    }
  }
}
