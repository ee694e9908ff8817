package io.portico.endpoint;

import io.portico.config.EndpointConfig;
import io.portico.config.HostPort;
import io.portico.spi.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The endpoints written in an upstream's {@code endpoints:} list. */
public final class StaticEndpoints {
  private StaticEndpoints() {}

  public static List<Endpoint> of(List<EndpointConfig> configs) {
    if (configs == null) {
      return List.of();
    }
    List<Endpoint> endpoints = new ArrayList<>(configs.size());
    for (EndpointConfig config : configs) {
      HostPort address = HostPort.parse(config.address());
      endpoints.add(new Endpoint(address.host(), address.port(), config.weight(), config.zone(), true, Map.of()));
    }
    return List.copyOf(endpoints);
  }
}
