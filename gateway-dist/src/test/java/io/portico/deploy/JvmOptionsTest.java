package io.portico.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The launcher and the container image start the JVM with the same options: gateway-dist's
 * {@code jvm.options} (read by the launcher) and the Dockerfile's {@code JAVA_TOOL_OPTIONS} list
 * the same options in the same order, and each option is explained by a comment in both.
 */
class JvmOptionsTest {
  private static final Path ROOT = GrafanaDashboardTest.observability().getParent().getParent();

  @Test
  void theImageRunsTheLaunchersJvmOptions() throws IOException {
    List<String> launcher = options(Files.readAllLines(ROOT.resolve("gateway-dist/jvm.options")));
    assertThat(launcher).contains("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");
    assertThat(imageOptions()).as("deploy/Dockerfile JAVA_TOOL_OPTIONS").isEqualTo(launcher);
  }

  @Test
  void theLauncherReadsTheOptionsFileUnlessJavaOptsReplacesIt() throws IOException {
    String script = Files.readString(ROOT.resolve("gateway-dist/portico"));
    assertThat(script).contains("\"$here/jvm.options\"").contains("${JAVA_OPTS:-$(jvm_options)}");
  }

  @Test
  void everyOptionIsExplainedByACommentInBothPlaces() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("gateway-dist/jvm.options"));
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        assertThat(lines.get(i - 1).strip()).as("comment above %s in jvm.options", line).startsWith("#");
      }
    }
    List<String> comments = Files.readAllLines(ROOT.resolve("deploy/Dockerfile")).stream()
        .filter(l -> l.startsWith("#")).toList();
    for (String option : imageOptions()) {
      assertThat(comments).as("a Dockerfile comment explaining %s", option)
          .anyMatch(c -> c.matches("#\\s+" + Pattern.quote(option) + "\\s+\\S.*"));
    }
  }

  private static List<String> imageOptions() throws IOException {
    Matcher env = Pattern.compile("(?m)^ENV JAVA_TOOL_OPTIONS=\"(.*)\"$")
        .matcher(Files.readString(ROOT.resolve("deploy/Dockerfile")));
    assertThat(env.find()).as("ENV JAVA_TOOL_OPTIONS=\"...\" in deploy/Dockerfile").isTrue();
    return Arrays.asList(env.group(1).trim().split("\\s+"));
  }

  /** The options of a jvm.options file: comments dropped, whitespace-separated. */
  private static List<String> options(List<String> lines) {
    List<String> options = new ArrayList<>();
    for (String line : lines) {
      String content = line.replaceFirst("#.*", "").strip();
      if (!content.isEmpty()) {
        options.addAll(Arrays.asList(content.split("\\s+")));
      }
    }
    return options;
  }
}
