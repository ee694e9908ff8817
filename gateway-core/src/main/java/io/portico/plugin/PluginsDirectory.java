package io.portico.plugin;

import io.portico.config.ConfigException;
import io.portico.config.ConfigNode;
import io.portico.config.source.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the {@code plugins-dir} of a config before the config itself can be bound: binding needs
 * the plugins, so the folder is read from the raw document first. A relative folder is taken from
 * the working directory; the default is {@code ./plugins.d}.
 */
public final class PluginsDirectory {
  public static final String DEFAULT = "plugins.d";

  private PluginsDirectory() {}

  /** The plugins folder named by the config file (or the default); blocking file read. */
  public static Path of(Path config) {
    String named = null;
    if (Files.isRegularFile(config)) {
      try {
        if (YamlReader.read(config) instanceof ConfigNode.Mapping root
            && root.entries().get("plugins-dir") instanceof ConfigNode.Scalar scalar) {
          named = scalar.value();
        }
      } catch (ConfigException e) {
        // the config loader reports the same problem with its file and line
      }
    }
    Path dir = Path.of(named != null ? named : DEFAULT);
    if (named != null && !Files.isDirectory(dir)) {
      throw new IllegalStateException("plugins-dir " + dir + " is not a directory");
    }
    return dir;
  }
}
