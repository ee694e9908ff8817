package io.portico.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Whether the gateway sheds new requests to protect itself, and why: one flag per {@link Signal},
 * set by the probes in the transport (event-loop lag, heap after GC) and read once per request
 * (a volatile read). Metrics: {@code portico_overload_state{signal}} (1 while the signal is on),
 * {@code portico_overload_shed_total} (requests refused) and
 * {@code portico_overload_connections_refused_total} (connections closed at the cap).
 */
public final class OverloadState {
  /** What can turn shedding on. */
  public enum Signal {
    EVENT_LOOP_LAG("event_loop_lag"), HEAP("heap");

    private final String tag;

    Signal(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  private final boolean[] on = new boolean[Signal.values().length];
  private volatile boolean shedding;
  private final Counter shed;
  private final Counter connectionsRefused;

  public OverloadState(MeterRegistry registry) {
    for (Signal signal : Signal.values()) {
      Gauge.builder("portico.overload.state", this, s -> s.isOn(signal) ? 1 : 0).tag("signal", signal.tag())
          .description("1 while this signal makes the gateway shed new requests").register(registry);
    }
    shed = Counter.builder("portico.overload.shed").description("requests refused with 503 overloaded")
        .register(registry);
    connectionsRefused = Counter.builder("portico.overload.connections.refused")
        .description("client connections closed at once because the listener held max-connections")
        .register(registry);
  }

  /** Turns {@code signal} on or off; called by its probe. */
  public synchronized void set(Signal signal, boolean value) {
    on[signal.ordinal()] = value;
    boolean any = false;
    for (boolean b : on) {
      any |= b;
    }
    shedding = any;
  }

  public synchronized boolean isOn(Signal signal) {
    return on[signal.ordinal()];
  }

  /** Whether new requests are refused now. Any thread; one volatile read. */
  public boolean shedding() {
    return shedding;
  }

  /** A request was refused with 503 overloaded. */
  public void requestShed() {
    shed.increment();
  }

  /** A connection was closed at the listener's cap. */
  public void connectionRefused() {
    connectionsRefused.increment();
  }

  public long shedCount() {
    return (long) shed.count();
  }

  public long connectionsRefusedCount() {
    return (long) connectionsRefused.count();
  }
}
