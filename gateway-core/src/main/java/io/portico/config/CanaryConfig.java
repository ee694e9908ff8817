package io.portico.config;

import java.util.Map;

/**
 * One rule of {@code routes[].canary:}: requests that carry every listed header and cookie go to
 * {@code upstream}. Rules are tried in order; the first that matches wins.
 *
 * @param upstream name of the upstream the matching requests go to
 * @param header header name to required value (names ignore case); {@code "*"} only requires
 *     presence
 * @param cookie cookie name to required value; {@code "*"} only requires presence
 */
public record CanaryConfig(String upstream, Map<String, String> header, Map<String, String> cookie) {
  public CanaryConfig {
    header = header != null ? Map.copyOf(header) : Map.of();
    cookie = cookie != null ? Map.copyOf(cookie) : Map.of();
  }
}
