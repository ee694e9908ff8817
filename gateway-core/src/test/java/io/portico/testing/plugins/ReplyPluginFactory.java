package io.portico.testing.plugins;

import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Reply;
import io.portico.spi.Stage;
import io.vertx.core.Future;
import java.util.Map;

/**
 * {@code reply}: answers every request with an error reply of the configured status, error code
 * and headers, as an authentication or rate-limit plugin does when it refuses a request.
 */
public final class ReplyPluginFactory implements PluginFactory<ReplyPluginFactory.Config> {
  /** @param headers added to the reply, such as the rate-limit headers */
  public record Config(int status, String error, Map<String, String> headers) {
    public Config {
      headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
  }

  @Override
  public String name() {
    return "reply";
  }

  @Override
  public Stage stage() {
    return Stage.AUTHN;
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
    Reply built = Reply.error(config.status(), config.error(), "refused by the reply plugin: " + config.error());
    for (Map.Entry<String, String> header : config.headers().entrySet()) {
      built = built.withHeader(header.getKey(), header.getValue());
    }
    Reply reply = built;
    return new Plugin() {
      @Override
      public Future<Decision> onRequest(Exchange exchange) {
        return reply.asFuture();
      }
    };
  }
}
