package io.portico.runtime;

import io.portico.chain.GatewayPluginContext;
import io.portico.config.DiscoveryBinding;
import io.portico.endpoint.DiscoveredEndpoints;
import io.portico.endpoint.DiscoveryKey;
import io.portico.plugin.PluginCalls;
import io.portico.spi.EndpointSnapshot;
import io.portico.spi.EndpointSource;
import io.portico.spi.EndpointSourceFactory;
import io.portico.upstream.Upstream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The discovery sources of one compilation: reuses the running snapshot's source for an unchanged
 * discovered upstream, starts new ones, and knows what to stop when the new snapshot goes live
 * (sources no longer used, subscriptions of retired upstreams) or is abandoned.
 */
final class DiscoveryWiring {
  private static final Logger log = LoggerFactory.getLogger(DiscoveryWiring.class);

  /** An upstream listening to a source. */
  record Subscription(DiscoveredEndpoints feed, Consumer<EndpointSnapshot> subscriber) {}

  private final Map<DiscoveryKey, DiscoveredEndpoints> previous;
  private final Map<DiscoveryKey, DiscoveredEndpoints> feeds = new HashMap<>();
  private final List<DiscoveredEndpoints> started = new ArrayList<>();
  private final List<Subscription> subscriptions = new ArrayList<>();

  DiscoveryWiring(Map<DiscoveryKey, DiscoveredEndpoints> previous) {
    this.previous = previous;
  }

  /** Feeds {@code upstream} from its discovery source, starting the source when it is new. */
  void feed(Upstream upstream, DiscoveryBinding binding, GatewayPluginContext context) {
    DiscoveryKey key = new DiscoveryKey(upstream.name(), binding.factory().type(), binding.settings(), binding.config());
    DiscoveredEndpoints feed = feeds.get(key);
    if (feed == null) {
      feed = previous.get(key);
    }
    if (feed == null) {
      feed = new DiscoveredEndpoints(key, create(binding.factory(), binding.settings(), binding.config(), context));
      feed.start();
      started.add(feed);
      log.info("upstream {}: following {} discovery", upstream.name(), key.type());
    }
    feeds.put(key, feed);
    Consumer<EndpointSnapshot> subscriber = snapshot -> upstream.discovered(snapshot.endpoints(), snapshot.version());
    feed.subscribe(subscriber);
    subscriptions.add(new Subscription(feed, subscriber));
  }

  @SuppressWarnings("unchecked")
  private static <S extends Record, U extends Record> EndpointSource create(EndpointSourceFactory<S, U> factory,
      Record settings, Record config, GatewayPluginContext context) {
    return PluginCalls.call("discovery " + factory.type() + " for " + context.routeName(), factory,
        () -> factory.create((S) settings, (U) config, context));
  }

  Map<DiscoveryKey, DiscoveredEndpoints> feeds() {
    return Map.copyOf(feeds);
  }

  List<Subscription> subscriptions() {
    return List.copyOf(subscriptions);
  }

  /** The compiled snapshot will not go live: stop what it started and detach its upstreams. */
  void abandon() {
    subscriptions.forEach(s -> s.feed().unsubscribe(s.subscriber()));
    started.forEach(DiscoveredEndpoints::close);
  }

  /**
   * The compiled snapshot is live: detach the retired snapshot's upstreams and stop the sources
   * nothing uses any more.
   */
  static void retire(CompiledConfig retired, CompiledConfig live) {
    retired.subscriptions().forEach(s -> s.feed().unsubscribe(s.subscriber()));
    retired.feeds().forEach((key, feed) -> {
      if (live.feeds().get(key) != feed) {
        feed.close();
      }
    });
  }

  /** Stops every source of a snapshot (gateway shutdown). */
  static void closeAll(CompiledConfig snapshot) {
    snapshot.feeds().values().forEach(DiscoveredEndpoints::close);
  }
}
