package io.portico.config.source;

import io.portico.config.ConfigError;
import io.portico.config.ConfigException;
import io.portico.config.RejectedEntry;
import io.portico.config.RouteConfig;
import io.portico.config.TestConfigs;
import io.portico.config.ValidatedConfig;
import io.portico.config.load.ConfigLoader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.portico.spi.ConfigStore;
import io.portico.spi.ConfigStore.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config store entries laid over the files: merge order, conflicts, and per-key rejection. */
class StoreOverlayTest {
  @TempDir
  Path dir;

  private static final String FILES = """
      upstreams:
        - { name: users, endpoints: [127.0.0.1:9001] }
      routes:
        - { name: users, match: { path-prefix: /users }, upstream: users }
        - { name: health, match: { path: /health }, upstream: users }
      plugins:
        sample-early: {}
      """;

  private final List<ConfigStore.Entry> entries = new ArrayList<>();
  private long revision = 10;

  private StoreOverlayTest put(Kind kind, String name, String json) {
    String key = "/portico/" + switch (kind) {
      case ROUTE -> "routes/" + name;
      case UPSTREAM -> "upstreams/" + name;
      case PLUGINS -> "plugins";
    };
    entries.add(new ConfigStore.Entry(kind, name, key, json, ++revision));
    return this;
  }

  private StoreOverlay overlay() {
    return StoreOverlay.of(new ConfigStore.Snapshot(revision, entries, 0, true), "etcd /portico/", null);
  }

  private ValidatedConfig load(String files) throws ConfigException {
    Path file = TestConfigs.write(dir, "gateway.yaml", files);
    ConfigLoader loader = new ConfigLoader(TestConfigs.REGISTRY);
    return loader.load(loader.read(file), file, overlay());
  }

  private static List<String> routeNames(ValidatedConfig config) {
    return config.gateway().routes().stream().map(RouteConfig::name).toList();
  }

  @Test
  void storedRoutesAreAppendedInKeyOrderAndTheRevisionIsTheStores() throws Exception {
    put(Kind.UPSTREAM, "orders", "{\"endpoints\":[\"127.0.0.1:9002\"]}")
        .put(Kind.ROUTE, "orders", "{\"match\":{\"path-prefix\":\"/orders\"},\"upstream\":\"orders\"}")
        .put(Kind.ROUTE, "billing", "{\"match\":{\"path-prefix\":\"/billing\"},\"upstream\":\"users\"}");
    ValidatedConfig config = load(FILES);
    assertThat(routeNames(config)).containsExactly("users", "health", "billing", "orders");
    assertThat(config.revision()).isEqualTo("13");
    assertThat(config.rejected()).isEmpty();
    assertThat(config.source()).endsWith("+ etcd /portico/");
  }

  @Test
  void aStoredEntryReplacesTheFilesEntryOfTheSameNameInPlace() throws Exception {
    put(Kind.ROUTE, "users", "{\"match\":{\"path-prefix\":\"/people\"},\"upstream\":\"users\"}");
    ValidatedConfig config = load(FILES);
    assertThat(routeNames(config)).containsExactly("users", "health");
    assertThat(config.gateway().routes().get(0).match().pathPrefix()).isEqualTo("/people");
  }

  @Test
  void storedGlobalPluginsMergePluginByPlugin() throws Exception {
    put(Kind.PLUGINS, "plugins", "{\"sample-auth\":{\"issuer\":\"https://id\"}}");
    ValidatedConfig config = load(FILES);
    assertThat(config.routePlugins().get("users")).extracting(b -> b.factory().name())
        .containsExactlyInAnyOrder("sample-early", "sample-auth");
  }

  @Test
  void unparseableAndInvalidEntriesAreLeftOutWithTheirKeyAndTheRestApplies() throws Exception {
    put(Kind.ROUTE, "broken", "{not json")
        .put(Kind.ROUTE, "typo", "{\"match\":{\"path-prefix\":\"/typo\"},\"upstream\":\"userz\"}")
        .put(Kind.ROUTE, "badregex", "{\"match\":{\"path-regex\":\"([\"},\"upstream\":\"users\"}")
        .put(Kind.ROUTE, "good", "{\"match\":{\"path-prefix\":\"/good\"},\"upstream\":\"users\"}");
    ValidatedConfig config = load(FILES);
    assertThat(routeNames(config)).containsExactly("users", "health", "good");
    Map<String, RejectedEntry> rejected = new java.util.HashMap<>();
    config.rejected().forEach(r -> rejected.put(r.key(), r));
    assertThat(rejected).containsOnlyKeys("/portico/routes/broken", "/portico/routes/typo", "/portico/routes/badregex");
    assertThat(rejected.get("/portico/routes/broken").errors().get(0).message()).startsWith("not valid JSON");
    ConfigError typo = rejected.get("/portico/routes/typo").errors().get(0);
    assertThat(typo.path()).isEqualTo("upstream");
    assertThat(typo.message()).contains("userz").contains("did you mean");
    assertThat(rejected.get("/portico/routes/badregex").errors().get(0).path()).isEqualTo("match.path-regex");
  }

  @Test
  void aRejectedUpstreamTakesTheStoredRoutesThatUseItAlong() throws Exception {
    put(Kind.UPSTREAM, "orders", "{\"endpoints\":[\"127.0.0.1:9002\"],\"balancer\":\"fastest\"}")
        .put(Kind.ROUTE, "orders", "{\"match\":{\"path-prefix\":\"/orders\"},\"upstream\":\"orders\"}");
    ValidatedConfig config = load(FILES);
    assertThat(routeNames(config)).containsExactly("users", "health");
    assertThat(config.rejected()).extracting(RejectedEntry::key)
        .containsExactly("/portico/routes/orders", "/portico/upstreams/orders");
    assertThat(config.rejected().get(1).errors().get(0).path()).isEqualTo("balancer");
  }

  @Test
  void aRejectedOverrideLeavesTheFilesEntryInPlace() throws Exception {
    put(Kind.ROUTE, "users", "{\"match\":{\"path-prefix\":\"people\"},\"upstream\":\"users\"}");
    ValidatedConfig config = load(FILES);
    assertThat(config.gateway().routes().get(0).match().pathPrefix()).isEqualTo("/users");
    assertThat(config.rejected()).singleElement().satisfies(r -> assertThat(r.errors().get(0).path()).isEqualTo("match.path-prefix"));
  }

  @Test
  void aNameThatContradictsTheKeyIsRejected() throws Exception {
    put(Kind.ROUTE, "a", "{\"name\":\"b\",\"match\":{\"path-prefix\":\"/a\"},\"upstream\":\"users\"}");
    ValidatedConfig config = load(FILES);
    assertThat(config.rejected()).singleElement().satisfies(r -> {
      assertThat(r.errors().get(0).path()).isEqualTo("name");
      assertThat(r.errors().get(0).message()).contains("\"b\"").contains("\"a\"");
    });
  }

  @Test
  void errorsThatLieInTheFilesRejectTheWholeConfig() throws Exception {
    put(Kind.UPSTREAM, "orders", "{\"endpoints\":[\"127.0.0.1:9002\"]}");
    // a file route that needs the stored upstream
    String files = FILES.replace("routes:\n", "routes:\n  - { name: orders, match: { path-prefix: /orders }, upstream: orders }\n");
    assertThat(routeNames(load(files))).contains("orders");
    entries.clear(); // the stored upstream is deleted
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(files));
    assertThat(e.errors()).singleElement().satisfies(error -> assertThat(error.path()).isEqualTo("routes[0].upstream"));
  }

  @Test
  void unchangedEntriesKeepTheirParsedTree() {
    put(Kind.ROUTE, "good", "{\"match\":{\"path-prefix\":\"/good\"},\"upstream\":\"users\"}");
    StoreOverlay first = overlay();
    StoreOverlay second = StoreOverlay.of(new ConfigStore.Snapshot(revision + 5, entries, 0, false), "etcd", first);
    assertThat(second.entries().get("/portico/routes/good")).isSameAs(first.entries().get("/portico/routes/good"));
    assertThat(second.revision()).isEqualTo(revision + 5);
  }
}
