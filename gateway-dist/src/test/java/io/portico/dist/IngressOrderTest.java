package io.portico.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.plugin.PluginRegistry;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Pins the INGRESS order of the bundled plugins, and keeps the two tables that publish it (the
 * {@code Stage} javadoc and {@code docs/plugins.md}) equal to what the plugins' priorities give.
 */
class IngressOrderTest {
  private static final List<String> ORDER = List.of("metrics", "tracing", "access-log", "request-id", "ip-restriction", "cors");

  @Test
  void theBundledPluginsRunInThePublishedOrder() {
    List<String> ingress = PluginRegistry.load(getClass().getClassLoader()).all().stream()
        .filter(factory -> factory.stage() == Stage.INGRESS)
        .map(PluginFactory::name)
        .toList();
    assertThat(ingress).containsExactlyElementsOf(ORDER);
  }

  @Test
  void thePluginGuideTableIsThatOrder() throws IOException {
    String guide = Files.readString(Path.of("..", "docs", "plugins.md"));
    assertThat(rows(guide, Pattern.compile("^\\| (\\d+) \\| `([a-z-]+)` \\| (\\d+) \\|", Pattern.MULTILINE)))
        .containsExactlyElementsOf(ORDER);
  }

  @Test
  void theStageJavadocTableIsThatOrder() throws IOException {
    String stage = Files.readString(Path.of("..", "plugin-api", "src", "main", "java", "io", "portico", "spi", "Stage.java"));
    assertThat(rows(stage, Pattern.compile("<tr><td>(\\d+)</td><td>([a-z-]+)</td><td>(\\d+)</td>")))
        .containsExactlyElementsOf(ORDER);
  }

  /** The plugin names of a table's rows, checked to be numbered 1, 2, … with falling priorities. */
  private static List<String> rows(String text, Pattern row) {
    List<String> names = new ArrayList<>();
    int lastPriority = Integer.MAX_VALUE;
    Matcher m = row.matcher(text);
    while (m.find()) {
      assertThat(Integer.parseInt(m.group(1))).isEqualTo(names.size() + 1);
      int priority = Integer.parseInt(m.group(3));
      assertThat(priority).isLessThan(lastPriority);
      lastPriority = priority;
      names.add(m.group(2));
    }
    return names;
  }
}
