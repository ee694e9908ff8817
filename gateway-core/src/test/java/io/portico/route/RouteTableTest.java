package io.portico.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portico.config.MatchConfig;
import io.portico.config.RouteConfig;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  record Req(String host, String path, HttpMethod method, Map<String, String> headers, Map<String, String> query)
      implements RouteRequest {
    static Req get(String host, String path) {
      return new Req(host, path, HttpMethod.GET, Map.of(), Map.of());
    }

    @Override
    public String header(String name) {
      return headers.get(name);
    }

    @Override
    public String queryParam(String name) {
      return query.get(name);
    }
  }

  static RouteEntry<String> route(String name, MatchConfig match) {
    return route(name, match, 0, false, null);
  }

  static RouteEntry<String> route(String name, MatchConfig match, int priority, boolean strip, String rewrite) {
    return new RouteEntry<>(new RouteConfig(name, match, priority, "u", strip, rewrite, null, null, null, Map.of()), name);
  }

  static MatchConfig prefix(String prefix, String... hosts) {
    return new MatchConfig(List.of(hosts), null, prefix, null, null, null, null);
  }

  static MatchConfig exact(String path) {
    return new MatchConfig(null, path, null, null, null, null, null);
  }

  static MatchConfig regex(String regex) {
    return new MatchConfig(null, null, null, regex, null, null, null);
  }

  static String match(RouteTable<String> table, Req request) {
    RouteMatch<String> m = table.match(request);
    return m == null ? null : m.route();
  }

  @Test
  void prefixMatchesWholeSegmentsOnly() {
    RouteTable<String> table = RouteTable.compile(List.of(route("users", prefix("/users")), route("api", prefix("/api/"))));
    assertThat(match(table, Req.get("h", "/users"))).isEqualTo("users");
    assertThat(match(table, Req.get("h", "/users/42"))).isEqualTo("users");
    assertThat(match(table, Req.get("h", "/usersX"))).isNull();
    assertThat(match(table, Req.get("h", "/api/"))).isEqualTo("api");
    assertThat(match(table, Req.get("h", "/api/v1"))).isEqualTo("api");
    assertThat(match(table, Req.get("h", "/api"))).isNull();
  }

  @Test
  void mostSpecificPathWins() {
    RouteTable<String> table = RouteTable.compile(List.of(
        route("catch-all", new MatchConfig(null, null, null, null, null, null, null)),
        route("root", prefix("/")),
        route("regex", regex("^/users/[0-9]+")),
        route("users", prefix("/users")),
        route("users-admin", prefix("/users/admin")),
        route("exact", exact("/users/admin/x"))));
    assertThat(match(table, Req.get("h", "/users/admin/x"))).isEqualTo("exact");
    assertThat(match(table, Req.get("h", "/users/admin/y"))).isEqualTo("users-admin");
    assertThat(match(table, Req.get("h", "/users/42"))).isEqualTo("users");
    assertThat(match(table, Req.get("h", "/other"))).isEqualTo("root");
  }

  @Test
  void regexBeatsPathlessAndExplicitPriorityBeatsSpecificity() {
    RouteTable<String> table = RouteTable.compile(List.of(
        route("any", new MatchConfig(null, null, null, null, null, null, null)),
        route("versioned", regex("^/v[0-9]+/")),
        route("urgent", prefix("/"), 10, false, null),
        route("users", prefix("/v1/users"))));
    assertThat(match(table, Req.get("h", "/v1/users"))).isEqualTo("urgent");
    RouteTable<String> noPriority = RouteTable.compile(List.of(
        route("any", new MatchConfig(null, null, null, null, null, null, null)),
        route("versioned", regex("^/v[0-9]+/"))));
    assertThat(match(noPriority, Req.get("h", "/v2/x"))).isEqualTo("versioned");
    assertThat(match(noPriority, Req.get("h", "/x"))).isEqualTo("any");
  }

  @Test
  void hostsExactBeatWildcardBeatAny() {
    RouteTable<String> table = RouteTable.compile(List.of(
        route("any", prefix("/")),
        route("wild", prefix("/", "*.example.com")),
        route("deeper-wild", prefix("/", "*.eu.example.com")),
        route("exact", prefix("/", "api.example.com"))));
    assertThat(match(table, Req.get("api.example.com", "/x"))).isEqualTo("exact");
    assertThat(match(table, Req.get("www.example.com", "/x"))).isEqualTo("wild");
    assertThat(match(table, Req.get("a.eu.example.com", "/x"))).isEqualTo("deeper-wild");
    assertThat(match(table, Req.get("a.b.example.com", "/x"))).isEqualTo("wild");
    assertThat(match(table, Req.get("example.com", "/x"))).isEqualTo("any");
    assertThat(match(table, Req.get("", "/x"))).isEqualTo("any");
  }

  @Test
  void predicatesOnMethodsHeadersAndQuery() {
    RouteTable<String> table = RouteTable.compile(List.of(
        route("plain", prefix("/p")),
        route("post", new MatchConfig(null, null, "/p", null, List.of("POST"), null, null)),
        route("prod", new MatchConfig(null, null, "/p", null, null, Map.of("X-Env", "prod"), null)),
        route("beta", new MatchConfig(null, null, "/p", null, null, null, Map.of("beta", "*")))));
    assertThat(match(table, Req.get("h", "/p"))).isEqualTo("plain");
    assertThat(match(table, new Req("h", "/p", HttpMethod.POST, Map.of(), Map.of()))).isEqualTo("post");
    assertThat(match(table, new Req("h", "/p", HttpMethod.GET, Map.of("X-Env", "prod"), Map.of()))).isEqualTo("prod");
    assertThat(match(table, new Req("h", "/p", HttpMethod.GET, Map.of("X-Env", "dev"), Map.of()))).isEqualTo("plain");
    assertThat(match(table, new Req("h", "/p", HttpMethod.GET, Map.of(), Map.of("beta", "")))).isEqualTo("beta");
  }

  @Test
  void declarationOrderBreaksTies() {
    RouteTable<String> table = RouteTable.compile(List.of(route("first", prefix("/a")), route("second", prefix("/a"))));
    assertThat(match(table, Req.get("h", "/a/b"))).isEqualTo("first");
  }

  @Test
  void stripPrefixAndRewrite() {
    RouteTable<String> table = RouteTable.compile(List.of(
        route("strip", prefix("/users"), 0, true, null),
        route("strip-slash", prefix("/api/"), 0, true, null),
        route("rewrite", prefix("/old"), 0, false, "/new"),
        route("regex", regex("^/v([0-9]+)/items"), 0, false, "/items/v$1"),
        route("exact", exact("/ping"), 0, false, "/healthz")));
    assertThat(table.match(Req.get("h", "/users")).upstreamPath()).isEqualTo("/");
    assertThat(table.match(Req.get("h", "/users/42")).upstreamPath()).isEqualTo("/42");
    assertThat(table.match(Req.get("h", "/api/x/y")).upstreamPath()).isEqualTo("/x/y");
    assertThat(table.match(Req.get("h", "/old/a")).upstreamPath()).isEqualTo("/new/a");
    assertThat(table.match(Req.get("h", "/old")).upstreamPath()).isEqualTo("/new");
    assertThat(table.match(Req.get("h", "/v2/items/9")).upstreamPath()).isEqualTo("/items/v2/9");
    assertThat(table.match(Req.get("h", "/ping")).upstreamPath()).isEqualTo("/healthz");
  }

  @Test
  void tenThousandRoutesStillMatchExactly() {
    List<RouteEntry<String>> entries = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      entries.add(route("r" + i, prefix("/svc" + i, "h" + (i % 100) + ".example.com")));
    }
    RouteTable<String> table = RouteTable.compile(entries);
    assertThat(table.size()).isEqualTo(10_000);
    for (int i = 0; i < 10_000; i += 997) {
      assertThat(match(table, Req.get("h" + (i % 100) + ".example.com", "/svc" + i + "/x"))).isEqualTo("r" + i);
      assertThat(match(table, Req.get("h" + ((i + 1) % 100) + ".example.com", "/svc" + i + "/x"))).isNull();
    }
  }

  @Test
  void badRegexIsRefusedAtCompile() {
    assertThatThrownBy(() -> RouteTable.compile(List.of(route("bad", regex("([a-z"))))).isInstanceOf(IllegalArgumentException.class);
  }
}
