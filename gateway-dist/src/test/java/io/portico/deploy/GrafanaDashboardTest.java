package io.portico.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric that {@code deploy/observability/grafana-dashboard.json} and {@code alerts.yaml}
 * query is exported by a running gateway with every bundled plugin configured, so a renamed meter
 * cannot leave a panel or an alert silently empty.
 */
class GrafanaDashboardTest {
  /** PromQL words that look like metric names but are functions, keywords or label names. */
  private static final Pattern METRIC = Pattern.compile("\\b((?:portico|jvm|process|system|vertx|netty)_[a-zA-Z0-9_]+)");

  /**
   * Exported only with a config store (etcd, Kubernetes) or with TLS certificates loaded, which
   * this gateway runs without.
   */
  private static final Set<String> CONDITIONAL = Set.of("portico_config_store_available", "portico_config_revision",
      "portico_tls_certificate_expiry_seconds");

  static TestBackend backend;
  static TestBackend idp;
  static TestGateway gateway;
  static Set<String> exported;

  @BeforeAll
  static void start() throws Exception {
    backend = TestBackend.start();
    String jwks = jwks();
    idp = TestBackend.start(request -> request.response().putHeader("content-type", "application/json").end(jwks));
    gateway = TestGateway.start("""
        upstreams:
          - name: shop
            endpoints: [%s]
            health-check: { path: /health, interval: 1s }
            outlier: {}
        routes:
          - name: orders
            match: { path-prefix: /orders }
            upstream: shop
            retries: { attempts: 2 }
            plugins:
              circuit-breaker: {}
              rate-limit: { limits: [{ capacity: 1, per: 1m }] }
          - name: secure
            match: { path-prefix: /secure }
            upstream: shop
            plugins:
              jwt-auth: { issuer: https://idp.example, audiences: [users], jwks-uri: http://%s/jwks.json }
        plugins:
          access-log: {}
          tracing: {}
          request-id: {}
        """.formatted(backend.address(), idp.address()));
    gateway.get("/orders/1");
    gateway.get("/orders/2"); // over the limit: a rejection
    gateway.get("/secure/1", "Authorization", "Bearer not-a-token");
    String scrape = gateway.admin("/metrics").bodyAsString();
    Files.writeString(Path.of("target", "metrics-scrape.txt"), scrape); // kept for whoever edits the dashboard
    exported = exportedNames(scrape);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    idp.close();
    backend.close();
  }

  @Test
  void everyDashboardQueryUsesExportedMetrics() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(observability().resolve("grafana-dashboard.json")));
    Set<String> queried = new TreeSet<>();
    for (Object panel : dashboard.getJsonArray("panels")) {
      JsonArray targets = ((JsonObject) panel).getJsonArray("targets", new JsonArray());
      for (Object target : targets) {
        queried.addAll(metricNames(((JsonObject) target).getString("expr")));
      }
    }
    for (Object variable : dashboard.getJsonObject("templating").getJsonArray("list")) {
      Object query = ((JsonObject) variable).getValue("query");
      if (query instanceof String text) {
        queried.addAll(metricNames(text));
      }
    }
    assertThat(queried).hasSizeGreaterThan(15);
    assertThat(exported).as("exported by the gateway").containsAll(queried);
  }

  @Test
  void everyAlertRuleUsesExportedMetrics() throws Exception {
    Set<String> queried = new TreeSet<>();
    for (String line : Files.readAllLines(observability().resolve("alerts.yaml"))) {
      if (line.trim().startsWith("expr:") || line.startsWith("          ")) {
        queried.addAll(metricNames(line));
      }
    }
    assertThat(queried).hasSizeGreaterThan(8).containsAll(CONDITIONAL.stream().filter(n -> n.contains("available")).toList());
    queried.removeAll(CONDITIONAL);
    assertThat(exported).as("exported by the gateway").containsAll(queried);
  }

  static Path observability() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(dir.resolve("deploy"))) {
      dir = dir.getParent();
    }
    return dir.resolve("deploy/observability");
  }

  /** Names used by a PromQL expression; histogram suffixes name the series they come from. */
  static Set<String> metricNames(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(expr == null ? "" : expr);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** Every series name in a Prometheus text scrape. */
  static Set<String> exportedNames(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  private static String jwks() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    RSAPublicKey key = (RSAPublicKey) generator.generateKeyPair().getPublic();
    return new JsonObject().put("keys", new JsonArray().add(new JsonObject()
        .put("kty", "RSA").put("kid", "k1").put("use", "sig").put("alg", "RS256")
        .put("n", base64Url(key.getModulus())).put("e", base64Url(key.getPublicExponent())))).encode();
  }

  private static String base64Url(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
