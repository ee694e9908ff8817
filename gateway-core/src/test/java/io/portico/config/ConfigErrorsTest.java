package io.portico.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each kind of mistake gives exactly one error, naming the file, the line and the field. */
class ConfigErrorsTest {

  @TempDir Path dir;

  /** A valid config; each case below changes one thing in it. */
  private static final String VALID = """
      listen: { host: 127.0.0.1, port: 0 }
      admin: { port: 0 }
      upstreams:
        - name: users
          endpoints: [127.0.0.1:9001, { address: 127.0.0.1:9002, weight: 3 }]
      routes:
        - name: users-api
          match: { hosts: [api.example.com], path-prefix: /users, methods: [GET, POST] }
          upstream: users
          timeout: 5s
          retries: { attempts: 2, on: [connect-failure, reset, 503] }
      """;

  @Test
  void theValidConfigLoads() throws Exception {
    ValidatedConfig config = TestConfigs.load(TestConfigs.write(dir, "gateway.yaml", VALID));

    assertThat(config.gateway().routes()).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo("users-api");
      assertThat(r.match().pathPrefix()).isEqualTo("/users");
      assertThat(r.retries().on()).containsExactly("connect-failure", "reset", "503");
    });
    assertThat(config.gateway().upstreams().get(0).endpoints()).hasSize(2);
    assertThat(config.routePlugins()).containsOnlyKeys("users-api");
    assertThat(config.version()).hasSize(12).matches("[0-9a-f]+");
    assertThat(config.source()).isEqualTo("file:" + dir.resolve("gateway.yaml"));
    assertThat(config.baseDir()).isEqualTo(dir.toAbsolutePath());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"header:X-User", "cookie:session", "query:tenant", "client-ip", "path"})
  void consistentHashTakesEveryKeySource(String hashKey) throws Exception {
    String yaml = VALID.replace("  - name: users\n", "  - name: users\n    balancer: consistent-hash\n    hash-key: " + hashKey + "\n");

    ValidatedConfig config = TestConfigs.load(TestConfigs.write(dir, "gateway.yaml", yaml));

    assertThat(config.gateway().upstreams().get(0).hashKey()).isEqualTo(hashKey);
    assertThat(config.gateway().upstreams().get(0).balancer()).isEqualTo("consistent-hash");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"round-robin", "weighted-round-robin", "least-request", "random", "peak-ewma"})
  void everyOtherBalancerLoadsWithoutHashKey(String balancer) throws Exception {
    String yaml = VALID.replace("  - name: users\n", "  - name: users\n    balancer: " + balancer + "\n");

    ValidatedConfig config = TestConfigs.load(TestConfigs.write(dir, "gateway.yaml", yaml));

    assertThat(config.gateway().upstreams().get(0).balancer()).isEqualTo(balancer);
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        mistake("unknown key", "upstrem:", "    upstream: users", "    upstrem: users",
            "routes[0].upstrem", "unknown key \"upstrem\" (did you mean \"upstream\"?)"),
        mistake("bare number as duration", "timeout: 5", "    timeout: 5s", "    timeout: 5",
            "routes[0].timeout", "expected a duration such as 250ms, 10s, 1m, 2h or 1d, got \"5\""),
        mistake("zero duration", "timeout: 0s", "    timeout: 5s", "    timeout: 0s",
            "routes[0].timeout", "must be longer than zero"),
        mistake("a list where one value belongs", "upstream: [users]", "    upstream: users", "    upstream: [users]",
            "routes[0].upstream", "expected a single value, got a list"),
        mistake("a mapping where a list belongs", "methods: {", "methods: [GET, POST]", "methods: { GET: 1 }",
            "routes[0].match.methods", "expected a list, got a mapping"),
        mistake("route to an unknown upstream", "upstream: userz", "    upstream: users", "    upstream: userz",
            "routes[0].upstream", "no upstream named \"userz\""),
        mistake("missing route name", "- priority: 1", "  - name: users-api", "  - priority: 1",
            "routes[0].name", "is required"),
        mistake("duplicate route name", "- { name: users-api", "    retries: { attempts: 2, on: [connect-failure, reset, 503] }",
            "    retries: { attempts: 2, on: [connect-failure, reset, 503] }\n  - { name: users-api, upstream: users }",
            "routes[1].name", "duplicate route name \"users-api\""),
        mistake("duplicate upstream name", "- { name: users,", "routes:", "  - { name: users, endpoints: [127.0.0.1:1] }\nroutes:",
            "upstreams[1].name", "duplicate upstream name \"users\""),
        mistake("upstream without endpoints", "- name: users", "    endpoints: [127.0.0.1:9001, { address: 127.0.0.1:9002, weight: 3 }]", "    balancer: random",
            "upstreams[0]", "needs endpoints or discovery"),
        mistake("endpoints and discovery", "discovery:", "    endpoints: [127.0.0.1:9001, { address: 127.0.0.1:9002, weight: 3 }]",
            "    endpoints: [127.0.0.1:9001]\n    discovery: { type: sample, service: users }",
            "upstreams[0].discovery", "give endpoints or discovery, not both"),
        mistake("bad endpoint address", "endpoints:", "[127.0.0.1:9001,", "[127.0.0.1,",
            "upstreams[0].endpoints[0]", "not host:port: \"127.0.0.1\""),
        mistake("constructor rejects a field", "endpoints:", "weight: 3", "weight: 0",
            "upstreams[0].endpoints[1]", "weight must be at least 1"),
        mistake("unknown balancer", "balancer:", "  - name: users\n", "  - name: users\n    balancer: round-robbin\n",
            "upstreams[0].balancer", "unknown balancer \"round-robbin\" (did you mean \"round-robin\"?)"),
        mistake("bad hash key", "hash-key:", "  - name: users\n", "  - name: users\n    balancer: consistent-hash\n    hash-key: header\n",
            "upstreams[0].hash-key", "expected header:NAME, cookie:NAME, query:NAME, client-ip or path, got \"header\""),
        mistake("misspelt new balancer", "balancer:", "  - name: users\n", "  - name: users\n    balancer: peak-ewa\n",
            "upstreams[0].balancer", "unknown balancer \"peak-ewa\" (did you mean \"peak-ewma\"?)"),
        mistake("balancer unlike any", "balancer:", "  - name: users\n", "  - name: users\n    balancer: fastest\n",
            "upstreams[0].balancer", "unknown balancer \"fastest\" (expected one of: round-robin, weighted-round-robin, "
                + "least-request, consistent-hash, random, peak-ewma)"),
        mistake("consistent-hash without hash key", "balancer:", "  - name: users\n", "  - name: users\n    balancer: consistent-hash\n",
            "upstreams[0].balancer", "consistent-hash needs a hash-key: header:NAME, cookie:NAME, query:NAME, client-ip or path"),
        mistake("unknown hash key source", "hash-key:", "  - name: users\n", "  - name: users\n    balancer: consistent-hash\n    hash-key: 'body:user'\n",
            "upstreams[0].hash-key", "expected header:NAME, cookie:NAME, query:NAME, client-ip or path, got \"body:user\""),
        mistake("hash key name that is not a token", "hash-key:", "  - name: users\n",
            "  - name: users\n    balancer: consistent-hash\n    hash-key: 'cookie:session id'\n",
            "upstreams[0].hash-key", "expected header:NAME, cookie:NAME, query:NAME, client-ip or path, got \"cookie:session id\""),
        mistake("hash key without consistent-hash", "hash-key:", "  - name: users\n", "  - name: users\n    hash-key: client-ip\n",
            "upstreams[0].hash-key", "only used by balancer consistent-hash"),
        mistake("two path kinds", "match:", "path-prefix: /users,", "path-prefix: /users, path: /users,",
            "routes[0].match", "give at most one of path, path-prefix and path-regex"),
        mistake("prefix without slash", "match:", "path-prefix: /users,", "path-prefix: users,",
            "routes[0].match.path-prefix", "must start with /"),
        mistake("bad regex", "match:", "path-prefix: /users,", "path-regex: '^/v[0-9+/',",
            "routes[0].match.path-regex", "invalid regular expression: Unclosed character class"),
        mistake("bad method", "match:", "methods: [GET, POST]", "methods: [GET, get]",
            "routes[0].match.methods[1]", "not an HTTP method: \"get\" (did you mean \"GET\"?)"),
        mistake("bad host", "match:", "hosts: [api.example.com]", "hosts: [api.example.com, 'bad host']",
            "routes[0].match.hosts[1]", "not a host name or *.suffix: \"bad host\""),
        mistake("bad retry condition", "retries:", "on: [connect-failure, reset, 503]", "on: [connect-failure, reset, 5xx]",
            "routes[0].retries.on[2]", "expected connect-failure, reset, timeout or a status such as 503, got \"5xx\""),
        mistake("misspelt gRPC retry condition", "retries:", "on: [connect-failure, reset, 503]", "on: [connect-failure, reset, unavailabel]",
            "routes[0].retries.on[2]", "expected connect-failure, reset, timeout or a status such as 503, got \"unavailabel\" (did you mean \"unavailable\"?)"),
        mistake("listen port out of range", "listen:", "port: 0 }\nadmin", "port: 70000 }\nadmin",
            "listen.port", "port must be between 0 and 65535, got 70000"),
        mistake("bad trusted proxy", "trusted-proxies:", "routes:", "trusted-proxies: [10.0.0.0/8, 10.0.0.0/33]\nroutes:",
            "trusted-proxies[1]", "not an IP address or CIDR range: \"10.0.0.0/33\""),
        mistake("unknown top-level key", "route-list:", "routes:", "route-list: []\nroutes:",
            "route-list", "unknown key \"route-list\""),
        mistake("unknown plugin", "plugins:", "    timeout: 5s", "    timeout: 5s\n    plugins: { sample-limmit: {} }",
            "routes[0].plugins.sample-limmit", "unknown plugin \"sample-limmit\" (did you mean \"sample-limit\"?)"),
        mistake("unknown key in a plugin", "sample-auth:", "    timeout: 5s", "    timeout: 5s\n    plugins:\n      sample-auth: { issuer: x, audience: [a] }",
            "routes[0].plugins.sample-auth.audience", "unknown key \"audience\" (did you mean \"audiences\"?)"),
        // a misspelt key leaves issuer unbound: the plugin's validate() ("issuer is required") must not add a second error
        mistake("misspelt key the plugin requires", "sample-auth:", "    timeout: 5s", "    timeout: 5s\n    plugins:\n      sample-auth: { isuer: x }",
            "routes[0].plugins.sample-auth.isuer", "unknown key \"isuer\" (did you mean \"issuer\"?)"),
        mistake("plugin validation of a nested field", "per: 2h", "    timeout: 5s",
            "    timeout: 5s\n    plugins:\n      sample-limit:\n        limits:\n          - capacity: 5\n            per: 2h",
            "routes[0].plugins.sample-limit.limits[0].per", "must be at most 1h"),
        mistake("missing primitive in a plugin", "- per: 1s", "    timeout: 5s",
            "    timeout: 5s\n    plugins:\n      sample-limit:\n        limits:\n          - per: 1s",
            "routes[0].plugins.sample-limit.limits[0].capacity", "is required"),
        mistake("plugin block given where none is taken", "plugins:", "    timeout: 5s",
            "    timeout: 5s\n    plugins: { sample-tag: { on: true } }",
            "routes[0].plugins.sample-tag.on", "unknown key \"on\" (this block takes no settings)"),
        mistake("disabling a plugin that is not global", "plugins:", "    timeout: 5s",
            "    timeout: 5s\n    plugins: { sample-tag: false }",
            "routes[0].plugins.sample-tag", "no global plugin named \"sample-tag\" to disable"),
        mistake("unknown discovery type", "discovery:", "    endpoints: [127.0.0.1:9001, { address: 127.0.0.1:9002, weight: 3 }]",
            "    discovery: { type: etcdd, service: users }",
            "upstreams[0].discovery.type", "unknown discovery type \"etcdd\""),
        mistake("discovery validation", "discovery:", "    endpoints: [127.0.0.1:9001, { address: 127.0.0.1:9002, weight: 3 }]",
            "    discovery: { type: sample, port: 80 }",
            "upstreams[0].discovery.service", "is required"),
        mistake("unknown key in discovery", "discovery:", "    endpoints: [127.0.0.1:9001, { address: 127.0.0.1:9002, weight: 3 }]",
            "    discovery: { type: sample, service: users, namespace: x }",
            "upstreams[0].discovery.namespace", "unknown key \"namespace\""),
        mistake("unknown top-level discovery type", "kubernetes:", "routes:", "discovery:\n  kubernetes: {}\nroutes:",
            "discovery.kubernetes", "unknown discovery type \"kubernetes\""),
        mistake("bad discovery settings", "sample:", "routes:", "discovery:\n  sample: { cluster: [a] }\nroutes:",
            "discovery.sample.cluster", "expected a single value, got a list"));
  }

  private static Arguments mistake(String what, String lineMarker, String find, String replace, String path, String message) {
    if (!VALID.contains(find)) {
      throw new IllegalArgumentException(what + ": the valid config has no " + find);
    }
    String yaml = VALID.replaceFirst(Pattern.quote(find), Matcher.quoteReplacement(replace));
    return Arguments.of(what, yaml, TestConfigs.line(yaml, lineMarker), path, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void eachMistakeGivesOneErrorWithFileLineAndPath(String what, String yaml, int line, String path, String message) {
    Path file = TestConfigs.write(dir, "gateway.yaml", yaml);

    List<ConfigError> errors = TestConfigs.errors(file);

    assertThat(errors).as(what).hasSize(1);
    ConfigError error = errors.get(0);
    assertThat(error.origin()).isEqualTo(new ConfigNode.Origin(file.toString(), line));
    assertThat(error.path()).isEqualTo(path);
    assertThat(error.message()).startsWith(message);
  }
}
