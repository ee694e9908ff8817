package io.portico.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data archive: written once next to the jar by {@code train-cds}, written
 * again when the jar, the JDK or the JVM options change, passed to {@code java} quietly, and left
 * out when it cannot be written or {@code PORTICO_CDS=0}. Runs a copy of the launcher with a
 * stand-in {@code java} (records its arguments) and a stand-in {@code train-cds} (records the call,
 * writes the archive unless told to fail).
 */
class LauncherCdsTest {
  @TempDir
  Path dir;

  private Path dist;
  private Path jar;
  private Path archive;

  @BeforeEach
  void layout() throws IOException {
    dist = Files.createDirectories(dir.resolve("gateway-dist"));
    Files.copy(Path.of("portico"), dist.resolve("portico"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(Path.of("jvm.options"), dist.resolve("jvm.options"));
    jar = Files.writeString(Files.createDirectories(dist.resolve("target")).resolve("portico.jar"), "jar");
    archive = dist.resolve("target/portico.jsa");
    script(dist.resolve("train-cds"), """
        echo "$*" >> "%s/trained"
        [ "${FAIL_TRAIN:-}" = 1 ] && { echo "train-cds: failed" >&2; exit 1; }
        echo archive > "$1"
        """.formatted(dir));
    script(Files.createDirectories(dir.resolve("bin")).resolve("java"), """
        printf '%%s\\n' "$@" > "%s/java.args"
        """.formatted(dir));
  }

  @Test
  void writesTheArchiveOnceAndStartsWithIt() throws Exception {
    String first = launch(Map.of());
    assertThat(first).contains("writing the class-data archive");
    assertThat(trainings()).hasSize(1);
    assertThat(trainings().get(0)).startsWith(archive + " " + jar + " " + dir.resolve("routes/gateway.yaml"))
        .contains("-XX:+UseSerialGC"); // trained with the options it runs with
    assertThat(javaArgs()).containsSubsequence("-XX:+UseSerialGC", "-XX:SharedArchiveFile=" + archive, "-Xshare:auto",
        "-Xlog:cds=off,cds+dynamic=off", "-jar", jar.toString(), "run");

    assertThat(launch(Map.of())).isEmpty();
    assertThat(trainings()).hasSize(1);
    assertThat(javaArgs()).contains("-XX:SharedArchiveFile=" + archive);
  }

  @Test
  void writesItAgainWhenTheJarOrTheOptionsChange() throws Exception {
    launch(Map.of());
    Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(60))); // a jar rebuilt since
    launch(Map.of());
    assertThat(trainings()).hasSize(2);

    launch(Map.of("JAVA_OPTS", "-XX:+UseSerialGC -Xmx256m"));
    assertThat(trainings()).hasSize(3);
    assertThat(trainings().get(2)).endsWith("-XX:+UseSerialGC -Xmx256m");
    assertThat(javaArgs()).containsSubsequence("-Xmx256m", "-XX:SharedArchiveFile=" + archive);
    launch(Map.of("JAVA_OPTS", "-XX:+UseSerialGC -Xmx256m"));
    assertThat(trainings()).hasSize(3);
  }

  @Test
  void startsWithoutAnArchiveWhenTrainingFailsOrCdsIsOff() throws Exception {
    assertThat(launch(Map.of("FAIL_TRAIN", "1"))).contains("no class-data archive, starting without it");
    assertThat(javaArgs()).noneMatch(a -> a.contains("SharedArchiveFile")).contains("-jar");

    launch(Map.of("PORTICO_CDS", "0"));
    assertThat(trainings()).hasSize(1);
    assertThat(javaArgs()).noneMatch(a -> a.contains("SharedArchiveFile") || a.contains("Xlog:cds"));
  }

  /** Runs {@code portico run}; returns what it wrote to stderr. */
  private String launch(Map<String, String> env) throws Exception {
    Path err = dir.resolve("stderr");
    ProcessBuilder launcher = new ProcessBuilder("bash", dist.resolve("portico").toString(), "run")
        .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    launcher.environment().keySet().removeAll(List.of("JAVA_OPTS", "JAVA_TOOL_OPTIONS", "PORTICO_CDS"));
    launcher.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
    launcher.environment().put("PORTICO_SKIP_BUILD", "1");
    launcher.environment().putAll(env);
    assertThat(launcher.start().waitFor()).as(Files.readString(err)).isZero();
    return Files.readString(err);
  }

  private List<String> trainings() throws IOException {
    Path trained = dir.resolve("trained");
    return Files.exists(trained) ? Files.readAllLines(trained) : List.of();
  }

  private List<String> javaArgs() throws IOException {
    return Files.readAllLines(dir.resolve("java.args"));
  }

  private static void script(Path path, String body) throws IOException {
    Files.writeString(path, "#!/usr/bin/env bash\n" + body);
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
