package io.portico.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.spi.PluginApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The starter (plugins/starter, built outside the reactor) names this release and its plugin API. */
class StarterPomTest {
  private static String element(Path pom, String name) throws Exception {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(pom));
    assertThat(m.find()).as(name + " in " + pom).isTrue();
    return m.group(1).trim();
  }

  @Test
  void theStarterBuildsAgainstThisReleaseAndDeclaresItsPluginApi() throws Exception {
    Path starter = Path.of("../starter/pom.xml");
    Path project = Path.of("../../pom.xml");
    String release = element(project, "version"); // the parent's own version is its first <version>
    assertThat(element(starter, "portico.version")).isEqualTo(release);
    assertThat(element(starter, "portico.plugin-api")).isEqualTo(PluginApi.VERSION);
  }
}
