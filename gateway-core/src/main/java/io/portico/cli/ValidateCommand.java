package io.portico.cli;

import io.portico.plugin.PluginRegistry;
import io.portico.registry.LocalRegistry;
import io.portico.registry.LocalRegistryDiscovery;
import io.portico.spi.Args;
import io.portico.spi.Command;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code portico validate FILE}: exit 0 when the config is valid, else 1 with every error. */
final class ValidateCommand implements Command {

  @Override
  public String name() {
    return "validate";
  }

  @Override
  public String usage() {
    return "validate FILE                         check a config; every error as file:line path: message";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    Args parsed = Args.parse(args, List.of());
    if (parsed.positional().size() != 1) {
      throw new IllegalArgumentException("give exactly one config file or directory");
    }
    return new ConfigValidateCommand(PluginRegistry.load(Thread.currentThread().getContextClassLoader())
        .withEndpointSource(new LocalRegistryDiscovery(new LocalRegistry()))).run(Path.of(parsed.positional().get(0)), out, err);
  }
}
