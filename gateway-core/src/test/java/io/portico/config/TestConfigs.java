package io.portico.config;

import io.portico.config.load.ConfigLoader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.portico.plugin.PluginRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Helpers for config tests: write YAML files, load them, find the line an error should name. */
public final class TestConfigs {

  public static final PluginRegistry REGISTRY = PluginRegistry.load(TestConfigs.class.getClassLoader());

  private TestConfigs() {}

  public static Path write(Path dir, String name, String yaml) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ValidatedConfig load(Path fileOrDir) throws ConfigException {
    return new ConfigLoader(REGISTRY).load(fileOrDir);
  }

  static List<ConfigError> errors(Path fileOrDir) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(fileOrDir));
    assertThat(e).as("the config should be rejected").isNotNull();
    return e.errors();
  }

  /** The 1-based line of the first line of {@code yaml} containing {@code marker}. */
  static int line(String yaml, String marker) {
    String[] lines = yaml.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(marker)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line contains " + marker);
  }
}
