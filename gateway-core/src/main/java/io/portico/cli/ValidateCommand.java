package io.portico.cli;

import io.portico.config.ConfigError;
import io.portico.config.ConfigException;
import io.portico.config.load.ConfigLoader;
import io.portico.config.ValidatedConfig;
import io.portico.plugin.PluginJars;
import io.portico.plugin.PluginRegistry;
import io.portico.plugin.PluginsDirectory;
import io.portico.registry.LocalRegistry;
import io.portico.registry.LocalRegistryDiscovery;
import io.portico.spi.Args;
import io.portico.spi.Command;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * {@code portico validate FILE [--plugins-dir DIR] [--etcd URL]}: loads a config as {@code portico
 * run} would, drop-in plugins of its {@code plugins-dir} included (and with {@code --etcd}, the
 * entries stored in that etcd, see {@link StoreValidation}), without starting anything; exit 0 with
 * a one-line summary, or 1 with every error as {@code file:line path: message}.
 */
public final class ValidateCommand implements Command {
  private final PluginRegistry registry;

  /** The command line's: plugins from the gateway's class path and the config's {@code plugins-dir}. */
  public ValidateCommand() {
    this.registry = null;
  }

  /** Validates against {@code registry} only (no {@code plugins-dir} is read). */
  public ValidateCommand(PluginRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public String name() {
    return "validate";
  }

  @Override
  public String usage() {
    return "validate FILE [--plugins-dir DIR] [--etcd URL]   check a config (drop-in plugins too; with --etcd, the entries "
        + "stored there laid over it); every error as file:line path: message";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    Args parsed = Args.parse(args, List.of("plugins-dir", "etcd"));
    if (parsed.positional().size() != 1) {
      throw new IllegalArgumentException("give exactly one config file or directory");
    }
    Path config = Path.of(parsed.positional().get(0));
    PluginRegistry plugins;
    try {
      String given = parsed.option("plugins-dir", null);
      plugins = registry != null ? registry
          : PluginJars.registry(given != null ? PluginsDirectory.given(given) : PluginsDirectory.of(config),
              Thread.currentThread().getContextClassLoader())
              .withEndpointSource(new LocalRegistryDiscovery(new LocalRegistry()));
    } catch (IllegalStateException e) {
      err.println(e.getMessage());
      return 1;
    }
    String etcd = parsed.option("etcd", null);
    return etcd != null ? StoreValidation.check(plugins, config, etcd, out, err) : check(plugins, config, out, err);
  }

  /**
   * Validates {@code config} (a file or a directory) against {@code plugins}. Prints {@code OK
   * <path> (N routes, M upstreams, version V)} to {@code out} and returns 0, or prints each error on
   * its own line to {@code err} and returns 1. Reads files: not for an event loop.
   */
  public static int check(PluginRegistry plugins, Path config, PrintStream out, PrintStream err) {
    try {
      ValidatedConfig loaded = new ConfigLoader(plugins).load(config);
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
