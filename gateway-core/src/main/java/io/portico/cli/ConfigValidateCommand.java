package io.portico.cli;

import io.portico.config.ConfigError;
import io.portico.config.ConfigException;
import io.portico.config.ValidatedConfig;
import io.portico.config.load.ConfigLoader;
import io.portico.plugin.PluginRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code portico validate FILE}: loads a config as the gateway would, without starting anything,
 * and prints either a one-line summary or every error as {@code file:line path: message}.
 */
public final class ConfigValidateCommand {

  private final ConfigLoader loader;

  public ConfigValidateCommand(PluginRegistry registry) {
    this.loader = new ConfigLoader(Objects.requireNonNull(registry, "registry"));
  }

  /**
   * Validates {@code config} (a file or a directory). Prints
   * {@code OK <path> (N routes, M upstreams, version V)} to {@code out} and returns 0, or prints
   * each error on its own line to {@code err} and returns 1. Reads files: not for an event loop.
   */
  public int run(Path config, PrintStream out, PrintStream err) {
    try {
      ValidatedConfig loaded = loader.load(config);
      out.println("OK " + config + " (" + loaded.gateway().routes().size() + " routes, "
          + loaded.gateway().upstreams().size() + " upstreams, version " + loaded.version() + ")");
      return 0;
    } catch (ConfigException e) {
      for (ConfigError error : e.errors()) {
        err.println(error);
      }
      return 1;
    }
  }
}
