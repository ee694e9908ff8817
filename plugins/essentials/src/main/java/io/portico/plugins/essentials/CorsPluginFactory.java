package io.portico.plugins.essentials;

import io.portico.spi.ConfigErrors;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;
import java.time.Duration;
import java.util.List;

/**
 * {@code cors}: answers preflight requests at the gateway and adds CORS headers to answers for
 * allowed origins (Fetch standard, CORS protocol).
 */
public final class CorsPluginFactory implements PluginFactory<CorsPluginFactory.Config> {

  /**
   * @param allowOrigins exact origins such as {@code https://app.example.com}, or {@code *}
   * @param allowMethods methods allowed in preflight answers, default GET, HEAD, POST
   * @param allowHeaders request headers allowed; empty echoes what the preflight asked for
   * @param exposeHeaders response headers scripts may read
   * @param allowCredentials whether cookies and auth may be sent (not with {@code *})
   * @param maxAge how long browsers may cache a preflight answer
   */
  public record Config(
      List<String> allowOrigins,
      List<String> allowMethods,
      List<String> allowHeaders,
      List<String> exposeHeaders,
      Boolean allowCredentials,
      Duration maxAge) {
    public Config {
      allowOrigins = allowOrigins != null ? List.copyOf(allowOrigins) : List.of();
      allowMethods = allowMethods == null || allowMethods.isEmpty() ? List.of("GET", "HEAD", "POST") : List.copyOf(allowMethods);
      allowHeaders = allowHeaders != null ? List.copyOf(allowHeaders) : List.of();
      exposeHeaders = exposeHeaders != null ? List.copyOf(exposeHeaders) : List.of();
      allowCredentials = allowCredentials != null ? allowCredentials : Boolean.FALSE;
      maxAge = maxAge != null ? maxAge : Duration.ofMinutes(10);
    }
  }

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
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public void validate(Config config, ConfigErrors errors) {
    if (config.allowOrigins().isEmpty()) {
      errors.add("allow-origins", "list at least one origin, or \"*\"");
    }
    if (config.allowCredentials() && config.allowOrigins().contains("*")) {
      errors.add("allow-credentials", "cannot be true when allow-origins contains \"*\"");
    }
  }

  @Override
  public Plugin create(Config config, PluginContext context) {
    return new CorsPlugin(config);
  }
}
