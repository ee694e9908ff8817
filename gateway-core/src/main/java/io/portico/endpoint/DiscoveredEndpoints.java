package io.portico.endpoint;

import io.portico.plugin.PluginCalls;
import io.portico.spi.EndpointSnapshot;
import io.portico.spi.EndpointSource;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running discovery source and what it last reported. The compiled upstreams of the running
 * snapshot (and, during a reload, of the one being compiled) subscribe; each new snapshot from the
 * source is passed to them, on whatever thread the source reports from. Until the first report
 * the upstream has no endpoints and answers 503.
 */
public final class DiscoveredEndpoints {
  private static final Logger log = LoggerFactory.getLogger(DiscoveredEndpoints.class);

  private final DiscoveryKey key;
  private final EndpointSource source;
  private final List<Consumer<EndpointSnapshot>> subscribers = new CopyOnWriteArrayList<>();
  private volatile EndpointSnapshot latest = new EndpointSnapshot(List.of(), null);

  public DiscoveredEndpoints(DiscoveryKey key, EndpointSource source) {
    this.key = key;
    this.source = source;
  }

  /** Starts the source; its reports go to the subscribers. */
  public void start() {
    Consumer<EndpointSnapshot> report = snapshot -> {
      latest = snapshot;
      log.debug("upstream {}: {} endpoints from {} (version {})", key.upstream(), snapshot.endpoints().size(),
          key.type(), snapshot.version());
      subscribers.forEach(s -> s.accept(snapshot));
    };
    PluginCalls.quietly("discovery " + key.type() + " of upstream " + key.upstream() + ": start", source,
        () -> source.start(report));
  }

  /** Adds a subscriber and hands it the latest snapshot at once. */
  public void subscribe(Consumer<EndpointSnapshot> subscriber) {
    subscribers.add(subscriber);
    subscriber.accept(latest);
  }

  public void unsubscribe(Consumer<EndpointSnapshot> subscriber) {
    subscribers.remove(subscriber);
  }

  public DiscoveryKey key() {
    return key;
  }

  public Future<Void> close() {
    subscribers.clear();
    return PluginCalls.close("discovery " + key.type() + " of upstream " + key.upstream(), source, source::close);
  }
}
