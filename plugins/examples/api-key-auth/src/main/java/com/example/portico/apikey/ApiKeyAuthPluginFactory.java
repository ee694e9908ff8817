package com.example.portico.apikey;

import io.portico.spi.ConfigErrors;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;

/**
 * {@code api-key-auth}: lets a request through only with a known API key, and records the key's
 * owner as the exchange's consumer (so {@code rate-limit} can key on {@code consumer}).
 */
public final class ApiKeyAuthPluginFactory implements PluginFactory<ApiKeyAuthConfig> {

  @Override
  public String name() {
    return "api-key-auth";
  }

  @Override
  public Stage stage() {
    return Stage.AUTHN;
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Class<ApiKeyAuthConfig> configType() {
    return ApiKeyAuthConfig.class;
  }

  @Override
  public void validate(ApiKeyAuthConfig config, ConfigErrors errors) {
    if (config.keysFile() == null || config.keysFile().isBlank()) {
      errors.add("keys-file", "is required: a file of key=consumer lines");
    }
    if (config.reloadInterval().toMillis() < 100) {
      errors.add("reload-interval", "must be at least 100ms");
    }
  }

  /** Called off the event loop, so reading the keys file once here is allowed. */
  @Override
  public Plugin create(ApiKeyAuthConfig config, PluginContext context) {
    KeyStore keys = new KeyStore(context.vertx(), context.resolvePath(config.keysFile()), config.reloadInterval());
    return new ApiKeyAuthPlugin(config, keys);
  }
}
