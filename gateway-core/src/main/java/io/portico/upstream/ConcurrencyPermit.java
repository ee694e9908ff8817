package io.portico.upstream;

import com.netflix.concurrency.limits.Limiter;
import io.portico.spi.UpstreamFailure;
import io.portico.spi.UpstreamResponse;
import io.vertx.core.AsyncResult;

/**
 * Room for one try under an upstream's adaptive concurrency limit. Released exactly once with the
 * try's outcome, which is what the limit learns from: an answer below 500 is a latency sample, a
 * 5xx or a timeout is a drop, anything else (cancelled, connect failure, reset) is ignored.
 * Confined to the event loop of the try.
 */
public final class ConcurrencyPermit {
  private final LoopLimiter owner;
  private Limiter.Listener listener;

  ConcurrencyPermit(LoopLimiter owner, Limiter.Listener listener) {
    this.owner = owner;
    this.listener = listener;
  }

  /** Gives the room back, telling the limit what came of the try. Later calls do nothing. */
  public void release(AsyncResult<UpstreamResponse> outcome) {
    Limiter.Listener l = listener;
    if (l == null) {
      return;
    }
    listener = null;
    if (outcome.succeeded()) {
      if (outcome.result().status() >= 500) {
        l.onDropped();
      } else {
        l.onSuccess();
      }
    } else if (outcome.cause() instanceof UpstreamFailure f && f.kind() == UpstreamFailure.Kind.TIMEOUT) {
      l.onDropped();
    } else {
      l.onIgnore();
    }
    owner.released();
  }
}
