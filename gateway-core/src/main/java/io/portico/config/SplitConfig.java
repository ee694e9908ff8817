package io.portico.config;

/**
 * One entry of {@code routes[].split:}: an upstream and its share of the route's requests.
 *
 * @param upstream name of the upstream
 * @param weight relative share, at least 1, default 1; {@code 90} and {@code 10} send 90% and 10%
 */
public record SplitConfig(String upstream, Integer weight) {
  public SplitConfig {
    weight = weight != null ? weight : 1;
  }
}
