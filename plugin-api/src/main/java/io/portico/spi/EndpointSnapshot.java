package io.portico.spi;

import java.util.List;

/**
 * The complete, immutable set of endpoints of one upstream at one moment.
 *
 * @param endpoints every known endpoint, ready or not
 * @param version where the snapshot comes from (an etcd revision, a resourceVersion), for
 *     {@code /admin/upstreams}
 */
public record EndpointSnapshot(List<Endpoint> endpoints, String version) {
  public EndpointSnapshot {
    endpoints = List.copyOf(endpoints);
  }
}
