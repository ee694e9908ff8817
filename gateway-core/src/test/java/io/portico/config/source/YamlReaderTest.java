package io.portico.config.source;

import io.portico.config.ConfigError;
import io.portico.config.ConfigException;
import io.portico.config.ConfigNode;
import io.portico.config.NodePaths;
import io.portico.config.TestConfigs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlReaderTest {

  @Test
  void everyNodeAndKeyKnowsItsFileAndLine(@TempDir Path dir) throws Exception {
    String yaml = """
        listen:
          port: 8080
        routes:
          - name: a
            match: { path: /a }
          - name: b
        """;
    Path file = TestConfigs.write(dir, "gateway.yaml", yaml);

    ConfigNode.Mapping root = (ConfigNode.Mapping) YamlReader.read(file);

    assertThat(root.keyOrigins().get("routes")).isEqualTo(new ConfigNode.Origin(file.toString(), 3));
    ConfigNode.Mapping listen = (ConfigNode.Mapping) root.entries().get("listen");
    assertThat(listen.entries().get("port")).isEqualTo(new ConfigNode.Scalar("8080", false, new ConfigNode.Origin(file.toString(), 2)));
    ConfigNode.Sequence routes = (ConfigNode.Sequence) root.entries().get("routes");
    assertThat(routes.items().get(1).origin().line()).isEqualTo(6);
    ConfigNode.Mapping first = (ConfigNode.Mapping) routes.items().get(0);
    assertThat(first.keyOrigins().get("match").line()).isEqualTo(5);
    assertThat(NodePaths.locate(root, "routes[0].match.path").line()).isEqualTo(5);
    assertThat(NodePaths.locate(root, "routes[1].match.path").line()).isEqualTo(6);
  }

  @Test
  void aTagThatDecodesToABrokenOneIsAConfigError() {
    // found by InputsFuzzTest: snakeyaml-engine threw IllegalArgumentException for it
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> YamlReader.parse("!/%CE", "t.yaml"));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("invalid YAML");
  }

  @Test
  void jsonIsYaml() throws Exception {
    String json = "{\n  \"name\": \"users\",\n  \"endpoints\": [\"10.0.0.7:8080\"],\n  \"weight\": null\n}";

    ConfigNode.Mapping root = (ConfigNode.Mapping) YamlReader.parse(json, "/portico/upstreams/users");

    assertThat(root.keyOrigins().get("endpoints")).isEqualTo(new ConfigNode.Origin("/portico/upstreams/users", 3));
    assertThat(((ConfigNode.Scalar) root.entries().get("name")).quoted()).isTrue();
    assertThat(((ConfigNode.Scalar) root.entries().get("weight")).value()).isNull();
  }

  @Test
  void nullsAreNullButQuotedNullIsText() throws Exception {
    ConfigNode.Mapping root = (ConfigNode.Mapping) YamlReader.parse("a: ~\nb:\nc: 'null'\nd: null\n", "s");

    assertThat(((ConfigNode.Scalar) root.entries().get("a")).value()).isNull();
    assertThat(((ConfigNode.Scalar) root.entries().get("b")).value()).isNull();
    assertThat(((ConfigNode.Scalar) root.entries().get("c")).value()).isEqualTo("null");
    assertThat(((ConfigNode.Scalar) root.entries().get("d")).value()).isNull();
  }

  @Test
  void duplicateKeysAreErrorsNamingBothLines() {
    String yaml = "listen:\n  port: 1\n  host: a\n  port: 2\nadmin: {}\nadmin: {}\n";

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> YamlReader.parse(yaml, "gw.yaml"));

    assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
        "gw.yaml:4 listen.port: duplicate key \"port\" (first at gw.yaml:2)",
        "gw.yaml:6 admin: duplicate key \"admin\" (first at gw.yaml:5)");
  }

  @Test
  void syntaxErrorsNameTheLine() {
    String yaml = "listen:\n  port: 1\n routes: [\n";

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> YamlReader.parse(yaml, "gw.yaml"));

    assertThat(e.errors()).hasSize(1);
    assertThat(e.errors().get(0).origin().source()).isEqualTo("gw.yaml");
    assertThat(e.errors().get(0).origin().line()).isBetween(2, 4);
    assertThat(e.errors().get(0).message()).startsWith("invalid YAML: ");
  }

  @Test
  void emptyDocumentIsAnEmptyMapping() throws Exception {
    assertThat(YamlReader.parse("# nothing here\n", "empty.yaml"))
        .isInstanceOfSatisfying(ConfigNode.Mapping.class, m -> assertThat(m.entries()).isEmpty());
  }

  @Test
  void aliasesResolveAndRecursionIsRefused() throws Exception {
    ConfigNode.Mapping root = (ConfigNode.Mapping) YamlReader.parse("a: &x [1, 2]\nb: *x\n", "s");
    assertThat(((ConfigNode.Sequence) root.entries().get("b")).items()).hasSize(2);

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> YamlReader.parse("a: &x\n  b: *x\n", "s"));
    assertThat(e).isNotNull();
  }

  @Test
  void missingFileIsAnError(@TempDir Path dir) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> YamlReader.read(dir.resolve("nope.yaml")));

    assertThat(e.errors()).singleElement().hasToString(dir.resolve("nope.yaml") + " cannot read: no such file");
  }
}
