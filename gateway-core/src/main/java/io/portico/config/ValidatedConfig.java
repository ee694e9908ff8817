package io.portico.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A config that passed validation as a whole and is ready to be compiled into a running snapshot.
 *
 * @param gateway the bound config
 * @param routePlugins each route's effective plugins (global ones merged in, overrides and
 *     disables applied), keyed by route name, sorted by stage, then descending priority, then name
 * @param version identifies the content: a hash of the files, or an etcd revision
 * @param source where it came from, e.g. {@code file:routes/gateway.yaml} or {@code etcd}
 * @param baseDir folder against which relative paths in the config resolve
 * @param upstreamDiscovery the bound discovery of each upstream that uses one, keyed by upstream
 *     name (upstreams with static endpoints are absent)
 */
public record ValidatedConfig(
    GatewayConfig gateway,
    Map<String, List<PluginBinding>> routePlugins,
    String version,
    String source,
    Path baseDir,
    Map<String, DiscoveryBinding> upstreamDiscovery) {

  public ValidatedConfig {
    upstreamDiscovery = upstreamDiscovery != null ? upstreamDiscovery : Map.of();
  }

  /** A config without discovered upstreams. */
  public ValidatedConfig(
      GatewayConfig gateway, Map<String, List<PluginBinding>> routePlugins, String version, String source, Path baseDir) {
    this(gateway, routePlugins, version, source, baseDir, Map.of());
  }

  /** The same config under another version and source (an etcd revision, say). */
  public ValidatedConfig withVersion(String newVersion, String newSource) {
    return new ValidatedConfig(gateway, routePlugins, newVersion, newSource, baseDir, upstreamDiscovery);
  }
}
