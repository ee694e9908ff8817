package io.portico.runtime;

import io.portico.config.ListenConfig;
import io.portico.spi.GatewayStats;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's own counts, handed to plugins as {@link GatewayStats}. The event loops add to
 * {@link LongAdder}s, which keep a cell per contending thread and sum them when read, so counting a
 * connection costs no contended write; only reads (a scrape) pay for the sum.
 */
public final class EngineStats implements GatewayStats {
  private final ListenerCount listener;
  private final LongAdder upstreamConnections = new LongAdder();
  private final AtomicInteger inFlight = new AtomicInteger();

  private record ListenerCount(String name, LongAdder open) implements Listener {
    @Override
    public long openConnections() {
      return open.sum();
    }
  }

  public EngineStats(ListenConfig listen) {
    this.listener = new ListenerCount(listen.tls() != null ? "https" : "http", new LongAdder());
  }

  @Override
  public List<Listener> listeners() {
    return List.of(listener);
  }

  @Override
  public long upstreamConnections() {
    return upstreamConnections.sum();
  }

  @Override
  public long exchangesInFlight() {
    return inFlight.get();
  }

  /** Counts the client connections of the listener. */
  public LongAdder clientConnections() {
    return listener.open();
  }

  /** Counts the upstream connections of all loops' pools. */
  public LongAdder upstreamConnectionCount() {
    return upstreamConnections;
  }

  AtomicInteger inFlight() {
    return inFlight;
  }
}
