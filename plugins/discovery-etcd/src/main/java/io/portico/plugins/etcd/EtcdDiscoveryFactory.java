package io.portico.plugins.etcd;

import io.portico.spi.ConfigErrors;
import io.portico.spi.EndpointSource;
import io.portico.spi.EndpointSourceFactory;
import io.portico.spi.PluginContext;

/**
 * {@code discovery: { type: etcd, service: users }}: follows the instances registered under
 * {@code <prefix>services/users/}, each kept alive by its own lease.
 */
public final class EtcdDiscoveryFactory implements EndpointSourceFactory<EtcdSettings, EtcdUpstream> {

  @Override
  public String type() {
    return "etcd";
  }

  @Override
  public Class<EtcdSettings> settingsType() {
    return EtcdSettings.class;
  }

  @Override
  public Class<EtcdUpstream> upstreamConfigType() {
    return EtcdUpstream.class;
  }

  @Override
  public void validate(EtcdUpstream config, ConfigErrors errors) {
    if (config.service() == null || config.service().isBlank() || config.service().contains("/")) {
      errors.add("service", "is required and may not contain /");
    }
  }

  @Override
  public EndpointSource create(EtcdSettings settings, EtcdUpstream config, PluginContext context) {
    EtcdSettings s = settings != null ? settings : new EtcdSettings(null, null);
    return new EtcdEndpointSource(EtcdClients.members(s.endpoints()), s.servicePrefix(config.service()));
  }
}
