package io.portico.server;

import io.vertx.core.Vertx;

/**
 * A timer on one listener's event loop measuring its own delay: it asks to fire after
 * {@link #PERIOD_MILLIS} and reports how much later than that it ran. A loop blocked by a slow
 * plugin or flooded with work fires late, whatever the cause. Started and stopped on that loop.
 */
final class LoopLagProbe {
  static final long PERIOD_MILLIS = 50;
  private final Vertx vertx;
  private final int loop;
  private final LoopLagSignal signal;
  private long timer = -1;
  private boolean stopped;

  LoopLagProbe(Vertx vertx, int loop, LoopLagSignal signal) {
    this.vertx = vertx;
    this.loop = loop;
    this.signal = signal;
  }

  /** Arms the first measurement; call on the listener's event loop. */
  void start() {
    arm();
  }

  void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void arm() {
    long due = System.nanoTime() + PERIOD_MILLIS * 1_000_000;
    timer = vertx.setTimer(PERIOD_MILLIS, id -> {
      long now = System.nanoTime();
      signal.measured(loop, Math.max(0, now - due), now);
      if (!stopped) {
        arm();
      }
    });
  }
}
