package com.example.portico.sizeguard;

import io.portico.spi.ConfigErrors;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;

/**
 * {@code request-size-guard}: refuses requests whose body is larger than {@code max-bytes} with
 * 413, before anything reaches the upstream.
 *
 * <pre>
 * plugins:
 *   request-size-guard: { max-bytes: 1048576 }
 * </pre>
 */
public final class RequestSizeGuardFactory implements PluginFactory<RequestSizeGuardFactory.Config> {

  /** The plugin's YAML block: {@code max-bytes} binds to {@code maxBytes}. */
  public record Config(long maxBytes) {}

  @Override
  public String name() {
    return "request-size-guard";
  }

  @Override
  public Stage stage() {
    return Stage.TRAFFIC;
  }

  @Override
  public int priority() {
    return 0;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public void validate(Config config, ConfigErrors errors) {
    if (config.maxBytes() <= 0) {
      errors.add("max-bytes", "must be positive");
    }
  }

  @Override
  public Plugin create(Config config, PluginContext context) {
    return new RequestSizeGuardPlugin(config.maxBytes(),
        context.meterRegistry().counter("request_size_guard_refused", "route", context.routeName()));
  }
}
