package io.portico.plugins.observability;

import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Reply;
import io.portico.spi.Stage;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Test plugins around the metrics: {@code test-gate} (AUTHN) answers 403 to requests carrying
 * {@code x-refuse}, {@code test-wait} (TRAFFIC) continues after {@code millis} on a timer.
 */
public abstract class GatePluginFactory implements PluginFactory<GatePluginFactory.Config> {
  private static final Reply REFUSED = Reply.error(403, "refused", "refused by test-gate");

  /** @param millis how long {@code test-wait} waits (default 0) */
  public record Config(Integer millis) {
    public Config {
      millis = millis != null ? millis : 0;
    }
  }

  private final String name;
  private final Stage stage;

  GatePluginFactory(String name, Stage stage) {
    this.name = name;
    this.stage = stage;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Stage stage() {
    return stage;
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
        if (stage == Stage.AUTHN) {
          return exchange.requestHeaders().contains("x-refuse") ? REFUSED.asFuture() : Decision.next().asFuture();
        }
        Promise<Decision> later = Promise.promise();
        context.vertx().setTimer(Math.max(1, config.millis()), t -> later.complete(Decision.next()));
        return later.future();
      }
    };
  }

  /** {@code test-gate}. */
  public static final class Gate extends GatePluginFactory {
    public Gate() {
      super("test-gate", Stage.AUTHN);
    }
  }

  /** {@code test-wait}. */
  public static final class Wait extends GatePluginFactory {
    public Wait() {
      super("test-wait", Stage.TRAFFIC);
    }
  }
}
