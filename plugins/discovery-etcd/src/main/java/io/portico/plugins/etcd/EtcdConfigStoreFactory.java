package io.portico.plugins.etcd;

import io.portico.spi.ConfigErrors;
import io.portico.spi.ConfigStore;
import io.portico.spi.ConfigStoreFactory;

/**
 * {@code config: { etcd: { endpoints: [http://127.0.0.1:2379], prefix: /portico/ } }}: routes,
 * upstreams and global plugins live in etcd, every replica follows them, the admin API writes
 * them, and instances registered through the admin API are written there under a lease. The same
 * settings serve {@code discovery: {type: etcd}} when there is no {@code discovery.etcd} block.
 */
public final class EtcdConfigStoreFactory implements ConfigStoreFactory<EtcdSettings> {

  @Override
  public String type() {
    return "etcd";
  }

  @Override
  public Class<EtcdSettings> settingsType() {
    return EtcdSettings.class;
  }

  @Override
  public void validate(EtcdSettings settings, ConfigErrors errors) {
    for (int i = 0; i < settings.endpoints().size(); i++) {
      String endpoint = settings.endpoints().get(i);
      if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
        errors.add("endpoints[" + i + "]", "expected an http:// or https:// URL, got \"" + endpoint + "\"");
      }
    }
    if (!settings.prefix().startsWith("/")) {
      errors.add("prefix", "must start with /");
    }
  }

  @Override
  public ConfigStore open(EtcdSettings settings) {
    return new EtcdConfigStore(EtcdClients.of(settings.endpoints()), EtcdClients.members(settings.endpoints()), settings);
  }
}
