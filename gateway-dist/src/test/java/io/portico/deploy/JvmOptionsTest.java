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

  /**
   * The class-data archive is not in the shared list (it names a file of each install): the image
   * writes it at build time, after JAVA_TOOL_OPTIONS is set so the training run uses the same
   * options, for the jar its entrypoint runs, and the entrypoint maps it with CDS logging off.
   */
  @Test
  void theImageStartsFromTheClassDataArchiveItsBuildWrites() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("deploy/Dockerfile"));
    int env = dockerfile.indexOf("\nENV JAVA_TOOL_OPTIONS=");
    int train = dockerfile.indexOf("\nRUN bash /opt/portico/train-cds /opt/portico/portico.jsa /opt/portico/portico.jar ");
    int user = dockerfile.indexOf("\nUSER ");
    assertThat(train).as("the RUN step training the archive").isGreaterThan(env).isLessThan(user).isPositive();
    String entrypoint = dockerfile.lines().filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
    assertThat(entrypoint).contains("\"-XX:SharedArchiveFile=/opt/portico/portico.jsa\"", "\"-Xshare:auto\"",
        "\"-Xlog:cds=off,cds+dynamic=off\"", "\"-jar\", \"/opt/portico/portico.jar\"");
    assertThat(options(Files.readAllLines(ROOT.resolve("gateway-dist/jvm.options"))))
        .noneMatch(o -> o.contains("SharedArchiveFile"));
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
