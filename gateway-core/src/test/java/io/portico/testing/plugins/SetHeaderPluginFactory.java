package io.portico.testing.plugins;

import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;
import io.vertx.core.Future;

/** {@code test-set-header}: sets one request header, as given, on every request. */
public final class SetHeaderPluginFactory implements PluginFactory<SetHeaderPluginFactory.Config> {
  public record Config(String name, String value) {}

  @Override
  public String name() {
    return "test-set-header";
  }

  @Override
  public Stage stage() {
    return Stage.TRANSFORM;
  }

  @Override
  public int priority() {
    return 0;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Plugin create(Config config, PluginContext context) {
    return new Plugin() {
      @Override
      public Future<Decision> onRequest(Exchange exchange) {
        exchange.requestHeaders().set(config.name(), config.value());
        return Decision.CONTINUE;
      }
    };
  }
}
