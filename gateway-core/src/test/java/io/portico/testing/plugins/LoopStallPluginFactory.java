package io.portico.testing.plugins;

import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;
import io.vertx.core.Future;

/**
 * {@code test-loop-stall}: blocks the event loop for {@code millis} on every request it sees, as a
 * plugin doing blocking work by mistake would. Test-only: it exists to show overload protection
 * turning on (and off again once the stalls stop).
 */
public final class LoopStallPluginFactory implements PluginFactory<LoopStallPluginFactory.Config> {
  public record Config(Integer millis) {}

  @Override
  public String name() {
    return "test-loop-stall";
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
    long nanos = config.millis() * 1_000_000L;
    return new Plugin() {
      @Override
      public Future<Decision> onRequest(Exchange exchange) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
          Thread.onSpinWait(); // deliberately blocks the event loop
        }
        return Decision.CONTINUE;
      }
    };
  }
}
