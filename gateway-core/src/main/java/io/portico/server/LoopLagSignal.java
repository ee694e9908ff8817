package io.portico.server;

import io.portico.runtime.OverloadState;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code overload.event-loop-lag}: turns shedding on as soon as one loop's measured lag is above
 * {@code shed-above}, and off again once every loop stayed at or below half of it for
 * {@link #RECOVERY_MILLIS} (hysteresis: a loop stalling again and again must not flip the state
 * at each probe). Fed by one {@link LoopLagProbe} per listener loop.
 */
final class LoopLagSignal {
  static final long RECOVERY_MILLIS = 1000;
  private final long shedAboveNanos;
  private final OverloadState state;
  /** Per loop: when its lag was last above half the threshold (nanoTime), 0 for never. */
  private final AtomicLongArray lastHigh;

  LoopLagSignal(long shedAboveMillis, int loops, OverloadState state) {
    this.shedAboveNanos = shedAboveMillis * 1_000_000;
    this.state = state;
    this.lastHigh = new AtomicLongArray(loops);
  }

  /** Loop {@code loop} measured {@code lagNanos} at {@code now} (its own nanoTime). On that loop. */
  void measured(int loop, long lagNanos, long now) {
    if (lagNanos > shedAboveNanos / 2) {
      lastHigh.set(loop, now);
    }
    if (lagNanos > shedAboveNanos) {
      if (!state.isOn(OverloadState.Signal.EVENT_LOOP_LAG)) {
        state.set(OverloadState.Signal.EVENT_LOOP_LAG, true);
      }
      return;
    }
    if (state.isOn(OverloadState.Signal.EVENT_LOOP_LAG) && allCalmSince(now - RECOVERY_MILLIS * 1_000_000)) {
      state.set(OverloadState.Signal.EVENT_LOOP_LAG, false);
    }
  }

  private boolean allCalmSince(long since) {
    for (int i = 0; i < lastHigh.length(); i++) {
      long high = lastHigh.get(i);
      if (high != 0 && high - since > 0) {
        return false;
      }
    }
    return true;
  }
}
