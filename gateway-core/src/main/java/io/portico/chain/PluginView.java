package io.portico.chain;

import io.portico.spi.Plugin;
import io.portico.spi.Stage;
import java.util.Map;

/** One plugin of a route's chain, as the admin API shows it. */
public record PluginView(String name, Stage stage, int priority, Plugin plugin) {
  /** The plugin's own state ({@link Plugin#status()}); cheap and thread-safe. */
  public Map<String, Object> status() {
    return plugin.status();
  }
}
