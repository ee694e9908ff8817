package io.portico.endpoint;

import io.portico.spi.EndpointSnapshot;
import io.portico.spi.EndpointSource;
import io.portico.spi.EndpointSourceFactory;
import io.portico.spi.NoConfig;
import io.portico.spi.PluginContext;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A discovery type the test drives by hand: {@code discovery: {type: manual, service: users}}. */
public final class ManualDiscovery implements EndpointSourceFactory<NoConfig, ManualDiscovery.Upstream> {
  static final Map<String, Source> SOURCES = new ConcurrentHashMap<>();
  static final AtomicInteger CREATED = new AtomicInteger();

  public record Upstream(String service) {}

  /** A source whose snapshots the test publishes. */
  static final class Source implements EndpointSource {
    volatile Consumer<EndpointSnapshot> listener;
    volatile boolean closed;

    void publish(EndpointSnapshot snapshot) {
      listener.accept(snapshot);
    }

    @Override
    public void start(Consumer<EndpointSnapshot> listener) {
      this.listener = listener;
    }

    @Override
    public Future<Void> close() {
      closed = true;
      return Future.succeededFuture();
    }
  }

  @Override public String type() { return "manual"; }
  @Override public Class<NoConfig> settingsType() { return NoConfig.class; }
  @Override public Class<Upstream> upstreamConfigType() { return Upstream.class; }

  @Override
  public EndpointSource create(NoConfig settings, Upstream config, PluginContext context) {
    CREATED.incrementAndGet();
    Source source = new Source();
    SOURCES.put(config.service(), source);
    return source;
  }
}
