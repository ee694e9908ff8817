package io.portico.plugins.kubernetes;

import io.portico.spi.ConfigStore;
import io.portico.spi.ConfigStoreFactory;

/**
 * {@code config: { kubernetes: { namespace: shop } }}: the routes of the Gateway API
 * {@code HTTPRoute}s of one namespace are laid over the config files, each route going to
 * upstreams that follow the EndpointSlices of the Services its backendRefs name. Read-only: the
 * admin API does not write routes here. The same settings serve {@code discovery: {type:
 * kubernetes}} when there is no {@code discovery.kubernetes} block.
 */
public final class HttpRouteStoreFactory implements ConfigStoreFactory<KubernetesSettings> {

  @Override
  public String type() {
    return "kubernetes";
  }

  @Override
  public Class<KubernetesSettings> settingsType() {
    return KubernetesSettings.class;
  }

  @Override
  public ConfigStore open(KubernetesSettings settings) {
    return new HttpRouteStore(settings);
  }
}
