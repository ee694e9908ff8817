package io.portico.plugins.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.portico.spi.ConfigErrors;
import io.portico.spi.EndpointSource;
import io.portico.spi.EndpointSourceFactory;
import io.portico.spi.PluginContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code discovery: { type: kubernetes }}: routes straight to the ready pod endpoints of a Service,
 * followed through its {@code discovery.k8s.io/v1} EndpointSlices. One API client per settings
 * and one informer per namespace are shared by every upstream.
 */
public final class KubernetesDiscoveryFactory implements EndpointSourceFactory<KubernetesSettings, KubernetesUpstream> {
  private static final Path POD_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
  private final Map<KubernetesSettings, KubernetesClient> clients = new HashMap<>();
  private final Map<String, NamespaceWatch> watches = new HashMap<>();

  @Override
  public String type() {
    return "kubernetes";
  }

  @Override
  public Class<KubernetesSettings> settingsType() {
    return KubernetesSettings.class;
  }

  @Override
  public Class<KubernetesUpstream> upstreamConfigType() {
    return KubernetesUpstream.class;
  }

  @Override
  public void validate(KubernetesUpstream config, ConfigErrors errors) {
    if (config.service() == null || config.service().isBlank()) {
      errors.add("service", "is required: the Service whose EndpointSlices to follow");
    }
  }

  @Override
  public synchronized EndpointSource create(KubernetesSettings settings, KubernetesUpstream config, PluginContext context) {
    KubernetesSettings s = settings != null ? settings : new KubernetesSettings(null, null, null, null);
    KubernetesClient client = clients.computeIfAbsent(s, k -> client(k, context::resolvePath));
    String namespace = config.namespace() != null ? config.namespace()
        : s.namespace() != null ? s.namespace() : podNamespace();
    String key = System.identityHashCode(client) + "/" + namespace;
    NamespaceWatch watch = watches.computeIfAbsent(key, k -> new NamespaceWatch(client, namespace));
    return new SliceSource(this, key, watch, config.service(), config.port());
  }

  /** Stops a namespace's informer once no upstream follows anything in it. */
  synchronized void released(String key, NamespaceWatch watch) {
    if (watch.idle() && watches.remove(key, watch)) {
      watch.stop();
    }
  }

  /** An API client for these settings; {@code resolve} turns the kubeconfig setting into a file. */
  static KubernetesClient client(KubernetesSettings settings, Function<String, Path> resolve) {
    Config base;
    if (settings.kubeconfig() != null) {
      try {
        base = Config.fromKubeconfig(Files.readString(resolve.apply(settings.kubeconfig())));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read kubeconfig " + settings.kubeconfig(), e);
      }
    } else {
      base = Config.autoConfigure(null); // in-cluster service account, else ~/.kube/config
    }
    ConfigBuilder config = new ConfigBuilder(base);
    if (settings.masterUrl() != null) {
      config.withMasterUrl(settings.masterUrl());
    }
    if (settings.trustCerts()) {
      config.withTrustCerts(true);
    }
    return new KubernetesClientBuilder().withConfig(config.build()).build();
  }

  /** The pod's own namespace (service account), else {@code default}. */
  static String podNamespace() {
    try {
      return Files.isReadable(POD_NAMESPACE) ? Files.readString(POD_NAMESPACE).trim() : "default";
    } catch (IOException e) {
      return "default";
    }
  }
}
