package io.portico.spi;

import java.util.Map;
import java.util.Objects;

/**
 * One instance of an upstream service.
 *
 * @param host an IP address or host name
 * @param port the TCP port
 * @param weight relative share of traffic, at least 1
 * @param zone the availability zone, or {@code null}
 * @param ready whether the instance takes new requests (a terminating one does not)
 * @param metadata free-form labels from discovery
 */
public record Endpoint(String host, int port, int weight, String zone, boolean ready, Map<String, String> metadata) {

  public Endpoint {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be at least 1: " + weight);
    }
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A ready endpoint of weight 1. */
  public static Endpoint of(String host, int port) {
    return new Endpoint(host, port, 1, null, true, Map.of());
  }

  /** {@code host:port}, with IPv6 hosts in brackets. */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
