package io.portico.upstream.dns;

import io.portico.spi.ConfigErrors;
import io.portico.spi.EndpointSource;
import io.portico.spi.EndpointSourceFactory;
import io.portico.spi.NoConfig;
import io.portico.spi.PluginContext;
import java.time.Duration;

/**
 * {@code discovery: { type: dns, name, port, refresh }}: every A and AAAA record of {@code name}
 * is an endpoint on {@code port}, re-resolved every {@code refresh} through the gateway's
 * asynchronous resolver (whose cache keeps an answer for its TTL).
 */
public final class DnsDiscoveryFactory implements EndpointSourceFactory<NoConfig, DnsDiscoveryFactory.Upstream> {

  /**
   * @param name the host name to resolve
   * @param port the port of every endpoint
   * @param refresh how often to resolve again, default 30s
   */
  public record Upstream(String name, Integer port, Duration refresh) {
    public Upstream {
      refresh = refresh != null ? refresh : Duration.ofSeconds(30);
    }
  }

  @Override
  public String type() {
    return "dns";
  }

  @Override
  public Class<NoConfig> settingsType() {
    return NoConfig.class;
  }

  @Override
  public Class<Upstream> upstreamConfigType() {
    return Upstream.class;
  }

  @Override
  public void validate(Upstream config, ConfigErrors errors) {
    if (config.name() == null || config.name().isBlank()) {
      errors.add("name", "is required");
    }
    if (config.port() == null) {
      errors.add("port", "is required");
    } else if (config.port() < 1 || config.port() > 65535) {
      errors.add("port", "must be between 1 and 65535, got " + config.port());
    }
    if (config.refresh().isZero() || config.refresh().isNegative()) {
      errors.add("refresh", "must be positive");
    }
  }

  @Override
  public EndpointSource create(NoConfig settings, Upstream config, PluginContext context) {
    return new DnsEndpointSource(context.vertx(), config.name(), config.port(), config.refresh().toMillis());
  }
}
