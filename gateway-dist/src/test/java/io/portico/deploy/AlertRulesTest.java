package io.portico.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules in {@code deploy/observability}: valid for Prometheus, their unit tests pass
 * ({@code promtool test rules}), and the Prometheus Operator component carries the same rules and
 * scrapes the port the Deployment names.
 */
class AlertRulesTest {
  @TempDir
  Path overlay;

  @Test
  void promtoolChecksTheRules() throws Exception {
    String report = promtool("check", "rules", "alerts.yaml", "objectives-example.yaml");
    assertThat(report).contains("SUCCESS: 13 rules found");
  }

  @Test
  void promtoolRunsTheRuleUnitTests() throws Exception {
    assertThat(promtool("test", "rules", "alerts-test.yaml")).contains("SUCCESS");
  }

  @Test
  @SuppressWarnings("unchecked")
  void thePrometheusRuleCarriesTheSameGroups() throws Exception {
    Path dir = GrafanaDashboardTest.observability();
    Map<String, Object> plain = Serialization.unmarshal(Files.readString(dir.resolve("alerts.yaml")), Map.class);
    Map<String, Object> rule = Serialization.unmarshal(
        Files.readString(dir.resolve("prometheus-operator/prometheusrule.yaml")), Map.class);
    assertThat(rule.get("kind")).isEqualTo("PrometheusRule");
    assertThat(((Map<String, Object>) rule.get("spec")).get("groups")).isEqualTo(plain.get("groups"));
  }

  @Test
  void theComponentAddsAPodMonitorOnTheAdminPort() throws Exception {
    assumeTrue(onPath("kubectl"), "kubectl is not installed");
    Path deploy = GrafanaDashboardTest.observability().getParent();
    // kustomize takes no absolute paths: the overlay names base and component relative to itself
    String base = overlay.relativize(deploy.resolve("kubernetes/base")).toString();
    String component = overlay.relativize(deploy.resolve("observability/prometheus-operator")).toString();
    Files.writeString(overlay.resolve("kustomization.yaml"), """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [%s]
        components: [%s]
        """.formatted(base, component));
    Process kubectl = new ProcessBuilder("kubectl", "kustomize", overlay.toString()).redirectErrorStream(true).start();
    String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(kubectl.exitValue()).as(output).isZero();
    List<String> kinds = new ArrayList<>();
    for (String document : output.split("(?m)^---$")) {
      Map<?, ?> object = Serialization.unmarshal(document, Map.class);
      kinds.add(String.valueOf(object.get("kind")));
    }
    assertThat(kinds).contains("Deployment", "PodMonitor", "PrometheusRule");
    assertThat(output).containsPattern("podMetricsEndpoints:\\s+- interval: 15s\\s+path: /metrics\\s+port: admin");
    // the PodMonitor names the port; the Deployment must have a container port of that name
    assertThat(output).containsPattern("containerPort: 9901\\s+name: admin|name: admin\\s+containerPort: 9901");
  }

  private static String promtool(String... args) throws Exception {
    assumeTrue(onPath("promtool"), "promtool (Debian package prometheus) is not installed");
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Process promtool = new ProcessBuilder(command).directory(GrafanaDashboardTest.observability().toFile())
        .redirectErrorStream(true).start();
    String report = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(promtool.exitValue()).as(report).isZero();
    return report;
  }

  static boolean onPath(String command) {
    return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
  }
}
