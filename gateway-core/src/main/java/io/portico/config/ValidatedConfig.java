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
 * @param version identifies the content: a hash of the files, or of the files merged with the
 *     config store's entries
 * @param source where it came from, e.g. {@code file:routes/gateway.yaml} or
 *     {@code file:routes/gateway.yaml + etcd /portico/}
 * @param baseDir folder against which relative paths in the config resolve
 * @param upstreamDiscovery the bound discovery of each upstream that uses one, keyed by upstream
 *     name (upstreams with static endpoints are absent)
 * @param revision the revision of the source it was built from: the config store's revision
 *     (everything written up to it is included) when there is a store, else the file hash
 * @param rejected the config store entries left out because they were invalid, each with its key
 *     and errors (the rest of the config applies without them)
 */
public record ValidatedConfig(
    GatewayConfig gateway,
    Map<String, List<PluginBinding>> routePlugins,
    String version,
    String source,
    Path baseDir,
    Map<String, DiscoveryBinding> upstreamDiscovery,
    String revision,
    List<RejectedEntry> rejected) {

  public ValidatedConfig {
    upstreamDiscovery = upstreamDiscovery != null ? upstreamDiscovery : Map.of();
    revision = revision != null ? revision : version;
    rejected = rejected != null ? List.copyOf(rejected) : List.of();
  }

  /** A config read from files alone: its revision is its version. */
  public ValidatedConfig(GatewayConfig gateway, Map<String, List<PluginBinding>> routePlugins, String version, String source,
      Path baseDir, Map<String, DiscoveryBinding> upstreamDiscovery) {
    this(gateway, routePlugins, version, source, baseDir, upstreamDiscovery, null, null);
  }

  /** A config without discovered upstreams. */
  public ValidatedConfig(
      GatewayConfig gateway, Map<String, List<PluginBinding>> routePlugins, String version, String source, Path baseDir) {
    this(gateway, routePlugins, version, source, baseDir, Map.of());
  }

  /** The same config built from a store at {@code newRevision}, leaving out {@code leftOut}. */
  public ValidatedConfig withRevision(String newRevision, List<RejectedEntry> leftOut) {
    return new ValidatedConfig(gateway, routePlugins, version, source, baseDir, upstreamDiscovery, newRevision, leftOut);
  }

  /** The same config with other gateway settings (tests move listeners to free ports this way). */
  public ValidatedConfig withGateway(GatewayConfig newGateway) {
    return new ValidatedConfig(newGateway, routePlugins, version, source, baseDir, upstreamDiscovery, revision, rejected);
  }
}
