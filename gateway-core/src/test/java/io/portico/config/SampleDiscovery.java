package io.portico.config;

import io.portico.spi.ConfigErrors;
import io.portico.spi.EndpointSource;
import io.portico.spi.EndpointSourceFactory;
import io.portico.spi.PluginContext;

/** A discovery type for config tests: {@code discovery: {type: sample, service: users}}. */
public final class SampleDiscovery implements EndpointSourceFactory<SampleDiscovery.Settings, SampleDiscovery.Upstream> {

  public record Settings(String cluster) {}

  public record Upstream(String service, Integer port) {}

  @Override public String type() { return "sample"; }
  @Override public Class<Settings> settingsType() { return Settings.class; }
  @Override public Class<Upstream> upstreamConfigType() { return Upstream.class; }

  @Override
  public void validate(Upstream config, ConfigErrors errors) {
    if (config.service() == null) {
      errors.add("service", "is required");
    }
  }

  @Override
  public EndpointSource create(Settings settings, Upstream config, PluginContext context) {
    throw new UnsupportedOperationException("config tests do not start sources");
  }
}
