package io.portico.config;

import io.portico.config.load.ConfigLoader;
import io.portico.config.source.YamlReader;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncludeAndDirectoryTest {

  @TempDir Path dir;

  @Test
  void includedFilesMergeAndErrorsNameTheIncludedFile() {
    TestConfigs.write(dir, "gateway.yaml", """
        include: [upstreams.yaml, "routes/*.yaml"]
        listen: { port: 0 }
        """);
    TestConfigs.write(dir, "upstreams.yaml", """
        upstreams:
          - name: users
            endpoints: [127.0.0.1:9001]
        """);
    TestConfigs.write(dir, "routes/a.yaml", """
        routes:
          - { name: a, upstream: users }
          - { name: b, upstream: users }
        """);
    String shop = """
        # the shop's routes
        routes:
          - name: shop
            match:
              path-prefix: /shop
            upstream: userz
        """;
    Path shopFile = TestConfigs.write(dir, "routes/shop.yaml", shop);

    List<ConfigError> errors = TestConfigs.errors(dir.resolve("gateway.yaml"));

    assertThat(errors).singleElement().hasToString(shopFile + ":6 routes[2].upstream: no upstream named \"userz\" (did you mean \"users\"?)");
  }

  @Test
  void listsConcatenateInIncludeOrderAndMapsMerge() throws Exception {
    TestConfigs.write(dir, "gateway.yaml", """
        upstreams: [{ name: users, endpoints: [127.0.0.1:9001] }]
        routes: [{ name: first, upstream: users }]
        plugins: { sample-tag: {} }
        include: [more.yaml]
        """);
    TestConfigs.write(dir, "more.yaml", """
        routes: [{ name: second, upstream: users }]
        plugins: { sample-early: {} }
        """);

    ValidatedConfig config = TestConfigs.load(dir.resolve("gateway.yaml"));

    assertThat(config.gateway().routes()).extracting(RouteConfig::name).containsExactly("first", "second");
    assertThat(config.gateway().plugins()).containsOnlyKeys("sample-tag", "sample-early");
  }

  @Test
  void aScalarOrObjectDefinedTwiceNamesBothPlaces() {
    Path main = TestConfigs.write(dir, "gateway.yaml", "listen: { port: 0 }\nplugins: { sample-tag: {} }\ninclude: other.yaml\n");
    Path other = TestConfigs.write(dir, "other.yaml", "\nlisten: { port: 1 }\nplugins:\n  sample-tag: {}\n");

    List<ConfigError> errors = TestConfigs.errors(main);

    assertThat(errors).extracting(ConfigError::toString).containsExactly(
        other + ":2 listen: defined twice (first at " + main + ":1)",
        other + ":4 plugins.sample-tag: defined twice (first at " + main + ":2)");
  }

  @Test
  void includeCyclesAreErrors() {
    Path a = TestConfigs.write(dir, "a.yaml", "include: [b.yaml]\n");
    TestConfigs.write(dir, "b.yaml", "routes: []\ninclude: [a.yaml]\n");

    List<ConfigError> errors = TestConfigs.errors(a);

    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.origin()).isEqualTo(new ConfigNode.Origin(dir.resolve("b.yaml").toString(), 2));
      assertThat(e.message()).isEqualTo("include cycle: a.yaml -> b.yaml -> a.yaml");
    });
  }

  @Test
  void aMissingIncludeIsAnErrorAtTheInclude() {
    Path main = TestConfigs.write(dir, "gateway.yaml", "listen: { port: 0 }\ninclude:\n  - nope.yaml\n");

    List<ConfigError> errors = TestConfigs.errors(main);

    assertThat(errors).singleElement().hasToString(main + ":3 cannot read " + dir.resolve("nope.yaml") + ": no such file");
  }

  @Test
  void aDirectoryLoadsEveryYamlFileInNameOrder() throws Exception {
    TestConfigs.write(dir, "conf/20-routes.yml", "routes: [{ name: r2, upstream: u }]\n");
    TestConfigs.write(dir, "conf/10-base.yaml", "listen: { port: 0 }\nupstreams: [{ name: u, endpoints: [127.0.0.1:1] }]\nroutes: [{ name: r1, upstream: u }]\n");
    TestConfigs.write(dir, "conf/notes.txt", "not: yaml: at all: [");
    TestConfigs.write(dir, "conf/.hidden.yaml", "broken: [");

    ValidatedConfig config = TestConfigs.load(dir.resolve("conf"));

    assertThat(config.gateway().routes()).extracting(RouteConfig::name).containsExactly("r1", "r2");
    assertThat(config.source()).isEqualTo("file:" + dir.resolve("conf"));
    assertThat(config.baseDir()).isEqualTo(dir.resolve("conf").toAbsolutePath());
  }

  @Test
  void theVersionFollowsTheContentOnly() throws Exception {
    Path file = TestConfigs.write(dir, "gateway.yaml", "upstreams: [{ name: u, endpoints: [127.0.0.1:1] }]\n");
    String first = TestConfigs.load(file).version();
    TestConfigs.write(dir, "gateway.yaml", "upstreams: [{ name: u, endpoints: [127.0.0.1:1] }]\n");
    String same = TestConfigs.load(file).version();
    TestConfigs.write(dir, "gateway.yaml", "upstreams: [{ name: u, endpoints: [127.0.0.1:2] }]\n");
    String changed = TestConfigs.load(file).version();

    assertThat(same).isEqualTo(first);
    assertThat(changed).isNotEqualTo(first).hasSize(12);
  }

  @Test
  void aDocumentFromEtcdLoadsWithItsKeyAsSource() throws Exception {
    ConfigNode root = YamlReader.parse("{\"upstreams\": [{\"name\": \"u\", \"endpoints\": [\"127.0.0.1:1\"]}],\n"
        + " \"routes\": [{\"name\": \"r\", \"upstream\": \"nope\"}]}", "/portico/routes/r");

    ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
        () -> new ConfigLoader(TestConfigs.REGISTRY).load(root, "etcd", dir));

    assertThat(e.errors()).singleElement().hasToString("/portico/routes/r:2 routes[0].upstream: no upstream named \"nope\"");
  }
}
