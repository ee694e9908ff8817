package io.portico.plugins.essentials;

import java.time.Duration;
import java.util.List;

/**
 * @param allowOrigins exact origins such as {@code https://app.example.com}, or {@code *}
 * @param allowMethods methods allowed in preflight answers, default GET, HEAD, POST
 * @param allowHeaders request headers allowed; empty echoes what the preflight asked for
 * @param exposeHeaders response headers scripts may read
 * @param allowCredentials whether cookies and auth may be sent (not with {@code *})
 * @param maxAge how long browsers may cache a preflight answer
 */
public record CorsConfig(
    List<String> allowOrigins,
    List<String> allowMethods,
    List<String> allowHeaders,
    List<String> exposeHeaders,
    Boolean allowCredentials,
    Duration maxAge) {
  public CorsConfig {
    allowOrigins = allowOrigins != null ? List.copyOf(allowOrigins) : List.of();
    allowMethods = allowMethods == null || allowMethods.isEmpty() ? List.of("GET", "HEAD", "POST") : List.copyOf(allowMethods);
    allowHeaders = allowHeaders != null ? List.copyOf(allowHeaders) : List.of();
    exposeHeaders = exposeHeaders != null ? List.copyOf(exposeHeaders) : List.of();
    allowCredentials = allowCredentials != null ? allowCredentials : Boolean.FALSE;
    maxAge = maxAge != null ? maxAge : Duration.ofMinutes(10);
  }
}
