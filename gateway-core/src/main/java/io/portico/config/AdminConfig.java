package io.portico.config;

/**
 * {@code admin:} the admin server. A token is required when it binds to anything but loopback.
 *
 * @param token the bearer token admin calls must present; {@code ${ENV_VAR}} reads the environment
 */
public record AdminConfig(String host, Integer port, String token) {
  public AdminConfig {
    host = host != null ? host : "127.0.0.1";
    port = port != null ? port : 9901;
  }
}
