package io.portico.plugins.essentials;

import io.portico.spi.ConfigErrors;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;

/**
 * {@code cors}: answers preflight requests at the gateway and adds CORS headers to answers for
 * allowed origins (Fetch standard, CORS protocol).
 */
public final class CorsPluginFactory implements PluginFactory<CorsConfig> {

  @Override
  public String name() {
    return "cors";
  }

  @Override
  public Stage stage() {
    return Stage.INGRESS;
  }

  @Override
  public int priority() {
    return 900;
  }

  @Override
  public Class<CorsConfig> configType() {
    return CorsConfig.class;
  }

  @Override
  public void validate(CorsConfig config, ConfigErrors errors) {
    if (config.allowOrigins().isEmpty()) {
      errors.add("allow-origins", "list at least one origin, or \"*\"");
    }
    if (config.allowCredentials() && config.allowOrigins().contains("*")) {
      errors.add("allow-credentials", "cannot be true when allow-origins contains \"*\"");
    }
  }

  @Override
  public Plugin create(CorsConfig config, PluginContext context) {
    return new CorsPlugin(config);
  }
}
