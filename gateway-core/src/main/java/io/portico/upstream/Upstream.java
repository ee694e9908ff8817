package io.portico.upstream;

import io.portico.endpoint.EndpointSet;
import io.portico.spi.Endpoint;
import io.portico.spi.Exchange;
import java.util.List;

/**
 * A running upstream: its name, its client settings and its current endpoints. The endpoint set is
 * replaced as a whole when discovery or health changes it; each try reads it once.
 */
public final class Upstream {
  private final String name;
  private final String balancer;
  private final ClientSettings settings;
  private volatile EndpointSet endpoints;
  private volatile String endpointsVersion;

  public Upstream(String name, String balancer, ClientSettings settings, EndpointSet endpoints) {
    this.name = name;
    this.balancer = balancer;
    this.settings = settings;
    this.endpoints = endpoints;
  }

  public String name() {
    return name;
  }

  public String balancer() {
    return balancer;
  }

  public ClientSettings settings() {
    return settings;
  }

  /** The endpoint for one try on event loop {@code loop}, or {@code null} when none is ready. */
  public Endpoint pick(int loop, Exchange exchange) {
    return endpoints.pick(loop, exchange);
  }

  public List<Endpoint> endpoints() {
    return endpoints.endpoints();
  }

  /** Swaps in a new endpoint set (from discovery or health checks). */
  public void endpoints(EndpointSet next) {
    this.endpoints = next;
  }

  /** Swaps in a new endpoint set from discovery, with the source's version (a revision). */
  public void endpoints(EndpointSet next, String version) {
    this.endpoints = next;
    this.endpointsVersion = version;
  }

  /** The version of the discovered endpoint set in use, or {@code null} for static endpoints. */
  public String endpointsVersion() {
    return endpointsVersion;
  }
}
