package io.portico.testing.plugins;

import io.portico.spi.Exchange;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Reply;
import io.portico.spi.Stage;
import io.portico.spi.UpstreamInterceptor;
import io.portico.spi.UpstreamResponse;
import io.vertx.core.Future;
import java.util.function.Supplier;

/** {@code fallback}: an upstream interceptor that answers 503 with a fixed body when the call fails. */
public final class FallbackPluginFactory implements PluginFactory<FallbackPluginFactory.Config> {

  public record Config(String body) {}

  @Override
  public String name() {
    return "fallback";
  }

  @Override
  public Stage stage() {
    return Stage.ROUTE;
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
    return new Interceptor(config.body());
  }

  private static final class Interceptor implements Plugin, UpstreamInterceptor {
    private final String body;

    Interceptor(String body) {
      this.body = body;
    }

    @Override
    public Future<UpstreamResponse> intercept(Exchange exchange, Supplier<Future<UpstreamResponse>> call) {
      TraceLog.add(exchange.requestId() + " fallback.intercept");
      return call.get().recover(failure -> Future.succeededFuture(UpstreamResponse.of(
          Reply.status(503).withHeader("content-type", "text/plain").withBody(body))));
    }
  }
}
