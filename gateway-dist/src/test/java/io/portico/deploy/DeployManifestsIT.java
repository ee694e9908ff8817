package io.portico.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.portico.config.load.ConfigLoader;
import io.portico.config.GatewayConfig;
import io.portico.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The manifests under deploy/ as Kubernetes objects, checked against the config they ship and the
 * jar the build produced (an integration test: it runs after the package phase).
 */
class DeployManifestsIT {
  static Path deploy;
  static List<HasMetadata> base;
  static GatewayConfig config;

  @BeforeAll
  static void load() throws Exception {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(dir.resolve("deploy"))) {
      dir = dir.getParent();
    }
    deploy = dir.resolve("deploy");
    base = objects(deploy.resolve("kubernetes/base"));
    config = new ConfigLoader(PluginRegistry.load(DeployManifestsIT.class.getClassLoader()))
        .load(deploy.resolve("kubernetes/base/gateway.yaml")).gateway();
  }

  static List<HasMetadata> objects(Path dir) throws IOException {
    List<HasMetadata> objects = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(DeployManifestsIT::isManifest).sorted().toList()) {
        objects.addAll(parse(Files.readString(file)));
      }
    }
    return objects;
  }

  static boolean isManifest(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yaml") && !name.equals("kustomization.yaml") && !name.equals("gateway.yaml");
  }

  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (!document.isBlank()) {
        objects.add(Serialization.unmarshal(document, HasMetadata.class));
      }
    }
    return objects;
  }

  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).as(type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  static int port(Container container, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort).findFirst().orElseThrow();
  }

  @Test
  void everyManifestIsAKubernetesObject() throws IOException {
    assertThat(base).extracting(HasMetadata::getKind).contains(
        "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ServiceAccount", "Role",
        "RoleBinding", "NetworkPolicy");
    assertThat(objects(deploy.resolve("kubernetes/etcd"))).extracting(HasMetadata::getKind)
        .contains("StatefulSet", "Service", "PodDisruptionBudget");
    assertThat(objects(deploy.resolve("kubernetes/overlays"))).extracting(HasMetadata::getKind).containsOnly("Service");
  }

  @Test
  void probesAndPortsMatchTheShippedConfig() {
    Container gateway = one(base, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    Probe readiness = gateway.getReadinessProbe();
    Probe liveness = gateway.getLivenessProbe();
    assertThat(readiness.getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(liveness.getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(gateway.getStartupProbe()).isNotNull();
    assertThat(port(gateway, readiness.getHttpGet().getPort())).isEqualTo(config.admin().port());
    assertThat(port(gateway, liveness.getHttpGet().getPort())).isEqualTo(config.admin().port());
    assertThat(port(gateway, new IntOrString("http"))).isEqualTo(config.listen().port());
    assertThat(config.admin().host()).isEqualTo("0.0.0.0");
    assertThat(config.admin().token()).as("admin off loopback needs a token").isNotBlank();
  }

  @Test
  void rbacGrantsOnlyReadingEndpointSlices() {
    assertThat(base).extracting(HasMetadata::getKind).doesNotContain("ClusterRole", "ClusterRoleBinding");
    List<PolicyRule> rules = one(base, Role.class).getRules();
    assertThat(rules).hasSize(1);
    assertThat(rules.get(0).getApiGroups()).containsExactly("discovery.k8s.io");
    assertThat(rules.get(0).getResources()).containsExactly("endpointslices");
    assertThat(Set.copyOf(rules.get(0).getVerbs())).isSubsetOf(Set.of("get", "list", "watch"));
  }

  @Test
  void rollingUpdatesAndDisruptionsKeepAReplicaServing() {
    Deployment deployment = one(base, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    PodDisruptionBudget pdb = one(base, PodDisruptionBudget.class);
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isBetween(1, deployment.getSpec().getReplicas() - 1);
  }

  @Test
  void gracePeriodCoversPreStopAndDrain() {
    var pod = one(base, Deployment.class).getSpec().getTemplate().getSpec();
    long preStop = pod.getContainers().get(0).getLifecycle().getPreStop().getSleep().getSeconds();
    assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(preStop + config.drainTimeout().toSeconds());
  }

  @Test
  void dockerfileRunsTheBuiltJarInExecFormOnTheMountedConfig() throws IOException {
    String dockerfile = Files.readString(deploy.resolve("Dockerfile"));
    String entrypoint = dockerfile.lines().filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
    assertThat(entrypoint).matches("ENTRYPOINT \\[\".*\"\\]"); // exec form: SIGTERM reaches the JVM
    assertThat(entrypoint).contains("/opt/portico/portico.jar");
    assertThat(dockerfile).contains("COPY --from=build /src/gateway-dist/target/portico.jar /opt/portico/portico.jar");
    assertThat(Path.of("target", "portico.jar")).as("the build produces the jar the image copies").exists();
    assertThat(dockerfile).containsPattern("(?m)^USER \\d+");

    Container gateway = one(base, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    String mounted = gateway.getVolumeMounts().stream().filter(m -> m.getName().equals("config"))
        .findFirst().orElseThrow().getMountPath();
    // the image's command names the mounted config; the pod's args replace that command, whole
    String command = dockerfile.lines().filter(l -> l.startsWith("CMD")).findFirst().orElseThrow();
    assertThat(command).isEqualTo("CMD [\"run\", \"--config\", \"" + mounted + "/gateway.yaml\"]");
    assertThat(entrypoint).doesNotContain("\"run\"");
    assertThat(gateway.getArgs()).containsExactly("run", "--config", mounted + "/gateway.yaml");
    assertThat(gateway.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
  }

  @Test
  void kustomizeBuildsEveryOverlay() throws Exception {
    assumeTrue(onPath("kubectl"), "kubectl is not installed");
    for (String target : List.of("kubernetes/overlays/edge", "kubernetes/overlays/internal", "kubernetes/etcd")) {
      Process kubectl = new ProcessBuilder("kubectl", "kustomize", deploy.resolve(target).toString())
          .redirectErrorStream(true).start();
      String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(kubectl.exitValue()).as(output).isZero();
      assertThat(parse(output)).isNotEmpty();
    }
  }

  private static boolean onPath(String command) {
    return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
  }
}
