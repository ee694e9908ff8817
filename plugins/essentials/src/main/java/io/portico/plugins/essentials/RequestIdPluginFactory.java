package io.portico.plugins.essentials;

import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;
import io.vertx.core.Future;

/**
 * {@code request-id}: echoes the exchange's request id to the client, and upstream under a
 * configurable header. The gateway itself always forwards {@code X-Request-Id}.
 */
public final class RequestIdPluginFactory implements PluginFactory<RequestIdConfig> {

  @Override
  public String name() {
    return "request-id";
  }

  @Override
  public Stage stage() {
    return Stage.INGRESS;
  }

  @Override
  public int priority() {
    return 1000;
  }

  @Override
  public Class<RequestIdConfig> configType() {
    return RequestIdConfig.class;
  }

  @Override
  public Plugin create(RequestIdConfig config, PluginContext context) {
    return new Plugin() {
      @Override
      public Future<Decision> onRequest(Exchange exchange) {
        exchange.requestHeaders().set(config.header(), exchange.requestId());
        if (config.response()) {
          exchange.additionalResponseHeaders().set(config.header(), exchange.requestId());
        }
        return Decision.next().asFuture();
      }
    };
  }
}
