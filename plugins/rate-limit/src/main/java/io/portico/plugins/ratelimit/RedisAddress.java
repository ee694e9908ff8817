package io.portico.plugins.ratelimit;

import io.lettuce.core.RedisURI;
import io.lettuce.core.StaticCredentialsProvider;
import java.util.function.UnaryOperator;

/** Turns the {@code redis} settings into a Lettuce {@link RedisURI}. */
final class RedisAddress {
  private RedisAddress() {}

  /**
   * @param env reads an environment variable ({@code System::getenv} outside tests)
   * @throws IllegalArgumentException when the URI cannot be parsed
   */
  static RedisURI uri(RateLimitConfig.Redis settings, UnaryOperator<String> env) {
    RedisURI uri = RedisURI.create(settings.uri());
    if (settings.tls()) {
      uri.setSsl(true);
    }
    if (settings.passwordEnv() != null) {
      String password = env.apply(settings.passwordEnv());
      if (password != null) {
        uri.setCredentialsProvider(new StaticCredentialsProvider(uri.getUsername(), password.toCharArray()));
      }
    }
    uri.setTimeout(settings.timeout());
    return uri;
  }

  /** The URI without credentials, for log lines. */
  static String display(RedisURI uri) {
    return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
  }
}
