package io.portico.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.portico.spi.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a Service's EndpointSlices into endpoints: one per address, on the port named (or
 * numbered) in the upstream's config, resolved per slice. Endpoints that are not ready
 * (including terminating ones) are kept but marked so, so they get no new requests. IPv4 and IPv6
 * slices both count; the zone is kept for zone-aware balancing.
 */
final class SliceEndpoints {
  private SliceEndpoints() {}

  static List<Endpoint> of(List<EndpointSlice> slices, String port) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (EndpointSlice slice : slices) {
      Integer number = resolve(slice.getPorts(), port);
      if (number == null || slice.getEndpoints() == null) {
        continue;
      }
      for (io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint : slice.getEndpoints()) {
        boolean ready = ready(endpoint.getConditions());
        String zone = endpoint.getZone();
        for (String address : endpoint.getAddresses()) {
          endpoints.add(new Endpoint(address, number, 1, zone, ready,
              Map.of("slice", slice.getMetadata().getName(), "address-type", String.valueOf(slice.getAddressType()))));
        }
      }
    }
    return endpoints;
  }

  /** Ready unless the conditions say otherwise; a terminating endpoint is never ready for new requests. */
  private static boolean ready(EndpointConditions conditions) {
    if (conditions == null) {
      return true;
    }
    if (Boolean.TRUE.equals(conditions.getTerminating())) {
      return false;
    }
    return conditions.getReady() == null || conditions.getReady();
  }

  private static Integer resolve(List<EndpointPort> ports, String wanted) {
    if (ports == null || ports.isEmpty()) {
      return null;
    }
    if (wanted == null) {
      return ports.get(0).getPort();
    }
    for (EndpointPort port : ports) {
      if (wanted.equals(port.getName()) || wanted.equals(String.valueOf(port.getPort()))) {
        return port.getPort();
      }
    }
    return null;
  }
}
