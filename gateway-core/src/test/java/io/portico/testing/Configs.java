package io.portico.testing;

import io.portico.config.ConfigException;
import io.portico.config.load.ConfigLoader;
import io.portico.config.ValidatedConfig;
import io.portico.plugin.PluginRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Configs written as YAML in tests, loaded the way the gateway loads them. */
public final class Configs {
  private static final PluginRegistry REGISTRY = PluginRegistry.load(Configs.class.getClassLoader());

  private Configs() {}

  /** Loads {@code yaml} from a temporary file; relative paths resolve against {@code dir}. */
  public static ValidatedConfig load(Path dir, String yaml) {
    try {
      Path file = Files.createTempFile(dir, "gateway", ".yaml");
      Files.writeString(file, yaml);
      return new ConfigLoader(REGISTRY).load(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ConfigException e) {
      throw new AssertionError("config rejected:\n" + e.getMessage(), e);
    }
  }
}
