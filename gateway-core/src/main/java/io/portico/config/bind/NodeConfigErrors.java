package io.portico.config.bind;

import io.portico.config.ConfigError;
import io.portico.config.ConfigNode;
import io.portico.config.NodePaths;
import io.portico.spi.ConfigErrors;
import java.util.List;

/**
 * The {@link ConfigErrors} handed to a factory's {@code validate}: a field path relative to the
 * factory's block ({@code limits[0].per}) becomes a full path and the line of that field.
 */
final class NodeConfigErrors implements ConfigErrors {

  private final ConfigNode block;
  private final String blockPath;
  private final List<ConfigError> errors;

  NodeConfigErrors(ConfigNode block, String blockPath, List<ConfigError> errors) {
    this.block = block;
    this.blockPath = blockPath;
    this.errors = errors;
  }

  @Override
  public void add(String field, String message) {
    String relative = field == null ? "" : field;
    errors.add(new ConfigError(NodePaths.locate(block, relative), NodePaths.append(blockPath, relative), message));
  }

  /**
   * Runs a factory's validation, turning a crash in it (an {@link Error} too, but a fatal one)
   * into an error on the block.
   */
  void run(Runnable validation) {
    try {
      validation.run();
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError fatal && !(t instanceof StackOverflowError)) {
        throw fatal; // the JVM's trouble, not the plugin's (as PluginCalls.fatal)
      }
      add("", "validation failed: " + t);
    }
  }
}
