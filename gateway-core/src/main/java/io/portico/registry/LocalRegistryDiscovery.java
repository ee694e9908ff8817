package io.portico.registry;

import io.portico.config.load.ConfigLoader;
import io.portico.spi.ConfigErrors;
import io.portico.spi.EndpointSource;
import io.portico.spi.EndpointSourceFactory;
import io.portico.spi.NoConfig;
import io.portico.spi.PluginContext;
import io.vertx.core.Future;
import java.util.function.Consumer;

/**
 * {@code discovery: { type: registry, service: users }}: the instances of a service registered
 * through this gateway's admin API and kept in its memory ({@link LocalRegistry}). One factory per
 * gateway, added to that gateway's plugin registry.
 */
public final class LocalRegistryDiscovery implements EndpointSourceFactory<NoConfig, LocalRegistryDiscovery.Service> {

  /** An upstream's {@code discovery: { type: registry, service: users }}. */
  public record Service(String service) {}

  private final LocalRegistry registry;

  public LocalRegistryDiscovery(LocalRegistry registry) {
    this.registry = registry;
  }

  @Override
  public String type() {
    return ConfigLoader.LOCAL_REGISTRY;
  }

  @Override
  public Class<NoConfig> settingsType() {
    return NoConfig.class;
  }

  @Override
  public Class<Service> upstreamConfigType() {
    return Service.class;
  }

  @Override
  public void validate(Service config, ConfigErrors errors) {
    if (config.service() == null || config.service().isBlank() || config.service().contains("/")) {
      errors.add("service", "is required and may not contain /");
    }
  }

  @Override
  public EndpointSource create(NoConfig settings, Service config, PluginContext context) {
    return new EndpointSource() {
      private Runnable stop;

      @Override
      public synchronized void start(Consumer<io.portico.spi.EndpointSnapshot> listener) {
        stop = registry.follow(config.service(), listener);
      }

      @Override
      public synchronized Future<Void> close() {
        if (stop != null) {
          stop.run();
        }
        return Future.succeededFuture();
      }
    };
  }
}
