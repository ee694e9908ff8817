package io.portico.plugins.essentials;

import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;

/** {@code headers}: adds, sets and removes request and response headers. */
public final class HeadersPluginFactory implements PluginFactory<HeadersPluginFactory.Config> {

  /** {@code request:} and {@code response:} edits, each applied in the order remove, set, add. */
  public record Config(Edits request, Edits response) {
    public Config {
      request = request != null ? request : Edits.NONE;
      response = response != null ? response : Edits.NONE;
    }
  }

  /**
   * @param add values appended to any existing ones
   * @param set values replacing existing ones
   * @param remove header names removed
   */
  public record Edits(Map<String, String> add, Map<String, String> set, List<String> remove) {
    static final Edits NONE = new Edits(Map.of(), Map.of(), List.of());

    public Edits {
      add = add != null ? add : Map.of();
      set = set != null ? set : Map.of();
      remove = remove != null ? remove : List.of();
    }

    boolean isEmpty() {
      return add.isEmpty() && set.isEmpty() && remove.isEmpty();
    }

    void applyTo(MultiMap headers) {
      for (String name : remove) {
        headers.remove(name);
      }
      set.forEach(headers::set);
      add.forEach(headers::add);
    }
  }

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
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Plugin create(Config config, PluginContext context) {
    Edits request = config.request();
    Edits response = config.response();
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
