package io.portico.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.portico.config.ListenConfig;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What all listeners of a gateway share: the current snapshot (swapped as a whole on reload), the
 * listener settings fixed at start, and the count of exchanges in flight.
 */
public final class GatewayRuntime {
  private final ListenConfig listen;
  private final ListenerLimits limits;
  private final MeterRegistry meterRegistry;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile RuntimeSnapshot snapshot;
  private volatile boolean draining;

  public GatewayRuntime(RuntimeSnapshot initial, MeterRegistry meterRegistry) {
    this.snapshot = initial;
    this.listen = initial.config().gateway().listen();
    this.limits = ListenerLimits.of(initial.config().gateway().limits());
    this.meterRegistry = meterRegistry;
  }

  public RuntimeSnapshot snapshot() {
    return snapshot;
  }

  /** Makes {@code next} the snapshot new exchanges use. */
  public void swap(RuntimeSnapshot next) {
    this.snapshot = next;
  }

  public ListenConfig listen() {
    return listen;
  }

  ListenerLimits limits() {
    return limits;
  }

  public MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** Exchanges started and not yet complete, over all loops. */
  public int inFlight() {
    return inFlight.get();
  }

  void exchangeStarted() {
    inFlight.incrementAndGet();
  }

  void exchangeEnded() {
    inFlight.decrementAndGet();
  }

  /** From now on answers ask clients to close their connections. */
  public void startDraining() {
    draining = true;
  }

  boolean draining() {
    return draining;
  }
}
