package io.portico.server;

import io.portico.config.OverloadConfig;
import io.portico.runtime.OverloadState;
import io.vertx.core.Vertx;

/**
 * The gateway protecting itself ({@code overload:}): the connection cap of the listener, the
 * event-loop lag probes and the heap check, all feeding one {@link OverloadState} that the request
 * dispatcher reads. Built once at start from the config then; the admin server is not behind it.
 */
final class OverloadGuard {
  private final Vertx vertx;
  private final ConnectionCap cap;
  private final LoopLagSignal lag;
  private final long heapTimer;

  OverloadGuard(Vertx vertx, OverloadConfig config, OverloadState state, int loops) {
    this.vertx = vertx;
    this.cap = config.maxConnections() == null ? null : new ConnectionCap(config.maxConnections(), state);
    this.lag = config.eventLoopLag() == null || config.eventLoopLag().shedAbove() == null ? null
        : new LoopLagSignal(config.eventLoopLag().shedAbove().toMillis(), loops, state);
    if (config.heap() == null || config.heap().shedAbove() == null) {
      heapTimer = -1;
    } else {
      HeapSignal heap = new HeapSignal(config.heap().shedAbove().fraction(), state, HeapSignal::jvmHeapAfterGc);
      heapTimer = vertx.setPeriodic(HeapSignal.PERIOD_MILLIS, id -> heap.check());
    }
  }

  /** The listener's connection cap, or {@code null} for none. */
  ConnectionCap cap() {
    return cap;
  }

  /** A lag probe for listener loop {@code loop}, or {@code null} when lag is not watched. */
  LoopLagProbe probe(int loop) {
    return lag == null ? null : new LoopLagProbe(vertx, loop, lag);
  }

  void close() {
    if (heapTimer >= 0) {
      vertx.cancelTimer(heapTimer);
    }
  }
}
