package io.portico.plugins.observability;

/**
 * @param maxRoutes routes with series of their own; further routes share {@code route="_overflow"},
 *     so a route explosion cannot blow up Prometheus (default 1000)
 */
public record MetricsConfig(Integer maxRoutes) {
  public MetricsConfig {
    maxRoutes = maxRoutes != null ? maxRoutes : 1000;
  }
}
