package io.portico.plugins.essentials;

import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;
import io.vertx.core.Future;

/** {@code headers}: adds, sets and removes request and response headers. */
public final class HeadersPluginFactory implements PluginFactory<HeadersConfig> {

  @Override
  public String name() {
    return "headers";
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
  public Class<HeadersConfig> configType() {
    return HeadersConfig.class;
  }

  @Override
  public Plugin create(HeadersConfig config, PluginContext context) {
    HeadersConfig.Edits request = config.request();
    HeadersConfig.Edits response = config.response();
    return new Plugin() {
      @Override
      public Future<Decision> onRequest(Exchange exchange) {
        if (!request.isEmpty()) {
          request.applyTo(exchange.requestHeaders());
        }
        return Decision.next().asFuture();
      }

      @Override
      public Future<Decision> onResponse(Exchange exchange) {
        if (!response.isEmpty()) {
          response.applyTo(exchange.responseHeaders());
        }
        return Decision.next().asFuture();
      }
    };
  }
}
