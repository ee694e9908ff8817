package io.portico.plugin;

import io.portico.config.ConfigException;
import io.portico.config.ConfigNode;
import io.portico.config.source.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the {@code plugins-dir} of a config before the config itself can be bound: binding needs
 * the plugins, so the folder is read from the raw document first. A relative {@code plugins-dir}
 * is taken from the config file's folder (the config itself when it is a folder), so a config and
 * its plugins move together; without one, the default is {@code ./plugins.d} in the working
 * directory, and it may be missing.
 */
public final class PluginsDirectory {
  public static final String DEFAULT = "plugins.d";

  private PluginsDirectory() {}

  /**
   * The plugins folder named by the config file (or the default), absolute; blocking file read.
   *
   * @throws IllegalStateException when the named folder is not a directory (with its full path)
   */
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
    if (named == null) {
      return Path.of(DEFAULT).toAbsolutePath();
    }
    Path base = Files.isDirectory(config) ? config : config.toAbsolutePath().getParent();
    return checked(base.resolve(named), "plugins-dir in " + config);
  }

  /** {@code dir} given on the command line (relative to the working directory), absolute. */
  public static Path given(String dir) {
    return checked(Path.of(dir), "--plugins-dir");
  }

  private static Path checked(Path dir, String origin) {
    Path absolute = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(absolute)) {
      throw new IllegalStateException(origin + ": " + absolute + " is not a directory");
    }
    return absolute;
  }
}
