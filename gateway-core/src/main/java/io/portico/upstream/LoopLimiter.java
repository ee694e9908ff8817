package io.portico.upstream;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * One event loop's share of an upstream's adaptive concurrency limit: a {@link SimpleLimiter} only
 * this loop touches (so the library's monitors are never contended and the request path takes no
 * shared lock), and a bounded queue of tries waiting for room, each with its deadline on the
 * loop's timer wheel.
 */
final class LoopLimiter {
  private final SimpleLimiter<Void> limiter;
  private final int queueSize;
  private final long queueTimeoutMillis;
  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
  private final Runnable onRejected;

  LoopLimiter(Limit limit, int queueSize, long queueTimeoutMillis, Runnable onRejected) {
    this.limiter = SimpleLimiter.newBuilder().limit(limit).build();
    this.queueSize = queueSize;
    this.queueTimeoutMillis = queueTimeoutMillis;
    this.onRejected = onRejected;
  }

  /** Room for one try now, later (queued) or a failure with {@link ConcurrencyLimited}. */
  Future<ConcurrencyPermit> acquire(Deadlines deadlines) {
    if (queue.isEmpty()) { // waiters go first
      Optional<Limiter.Listener> listener = limiter.acquire(null);
      if (listener.isPresent()) {
        return Future.succeededFuture(new ConcurrencyPermit(this, listener.get()));
      }
    }
    if (queue.size() >= queueSize) {
      onRejected.run();
      return Future.failedFuture(ConcurrencyLimited.INSTANCE);
    }
    Waiter waiter = new Waiter();
    queue.addLast(waiter);
    deadlines.arm(waiter, queueTimeoutMillis);
    waiter.deadlines = deadlines;
    return waiter.promise.future();
  }

  /** A permit was released: hands the room to the waiters that fit under the limit now. */
  void released() {
    while (!queue.isEmpty()) {
      Optional<Limiter.Listener> listener = limiter.acquire(null);
      if (listener.isEmpty()) {
        return;
      }
      Waiter waiter = queue.pollFirst();
      waiter.deadlines.cancel(waiter);
      waiter.promise.complete(new ConcurrencyPermit(this, listener.get()));
    }
  }

  int limit() {
    return limiter.getLimit();
  }

  int inFlight() {
    return limiter.getInflight();
  }

  int queued() {
    return queue.size();
  }

  private final class Waiter extends Deadlines.Deadline {
    final Promise<ConcurrencyPermit> promise = Promise.promise();
    Deadlines deadlines;

    @Override
    protected void expired() {
      queue.remove(this);
      onRejected.run();
      promise.fail(ConcurrencyLimited.INSTANCE);
    }
  }
}
