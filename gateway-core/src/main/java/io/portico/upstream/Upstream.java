package io.portico.upstream;

import io.portico.config.UpstreamConfig;
import io.portico.endpoint.EndpointSet;
import io.portico.health.HealthChecker;
import io.portico.health.UpstreamHealth;
import io.portico.spi.Endpoint;
import java.util.List;

/**
 * A running upstream: its name, its client settings, the health of its endpoints and the current
 * endpoint set. The set is replaced as a whole when discovery or health changes it; each try reads
 * it once.
 */
public final class Upstream {
  private final UpstreamConfig config;
  private final String name;
  private final String balancer;
  private final ClientSettings settings;
  private final UpstreamHealth health;
  private final HealthChecker checker;
  private final String source;
  private volatile EndpointSet endpoints;
  private volatile String endpointsVersion;
  private ConcurrencyLimit concurrency;

  /**
   * @param health tracks the endpoints; publishes into this upstream through {@link #publish}
   * @param checker active checks, or {@code null}
   * @param source where the endpoints come from: {@code static} or the discovery type
   */
  public Upstream(UpstreamConfig config, ClientSettings settings, UpstreamHealth health, HealthChecker checker,
      String source) {
    this.config = config;
    this.name = config.name();
    this.balancer = config.balancer();
    this.settings = settings;
    this.health = health;
    this.checker = checker;
    this.source = source;
  }

  public String name() {
    return name;
  }

  /** The configuration it was built from: an equal one at the next reload keeps this upstream. */
  public UpstreamConfig config() {
    return config;
  }

  public String balancer() {
    return balancer;
  }

  public ClientSettings settings() {
    return settings;
  }

  public UpstreamHealth health() {
    return health;
  }

  /** {@code static} or the discovery type. */
  public String source() {
    return source;
  }

  /** The endpoint set tries pick from now. */
  public EndpointSet current() {
    return endpoints;
  }

  /** The endpoint for one try on event loop {@code loop}, or {@code null} when none serves. */
  public Endpoint pick(int loop, io.portico.spi.Exchange exchange) {
    EndpointSet set = endpoints;
    return set == null ? null : set.pick(loop, exchange);
  }

  /** Every endpoint, serving or not. */
  public List<Endpoint> endpoints() {
    EndpointSet set = endpoints;
    return set == null ? List.of() : set.endpoints();
  }

  /** Called by the health tracker with each new set. */
  public void publish(EndpointSet next) {
    this.endpoints = next;
  }

  /** A new endpoint list from discovery, with the source's version (a revision). */
  public void discovered(List<Endpoint> list, String version) {
    this.endpointsVersion = version;
    health.endpoints(list);
  }

  /** The version of the discovered endpoint set in use, or {@code null} for static endpoints. */
  public String endpointsVersion() {
    return endpointsVersion;
  }

  /** Sets the adaptive concurrency limit, once, before the upstream is in use. */
  public void limitConcurrency(ConcurrencyLimit limit) {
    this.concurrency = limit;
  }

  /** The adaptive concurrency limit, or {@code null} when the upstream has none. */
  public ConcurrencyLimit concurrency() {
    return concurrency;
  }

  /** Starts active health checks, if configured. */
  public void start() {
    health.live();
    if (checker != null) {
      checker.start();
    }
  }

  /** Stops health checks and ejection timers (the upstream was retired). */
  public void close() {
    if (checker != null) {
      checker.stop();
    }
    health.close();
    if (concurrency != null) {
      concurrency.close();
    }
  }
}
