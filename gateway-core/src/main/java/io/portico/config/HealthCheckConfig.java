package io.portico.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code upstreams[].health-check:} active checks, one checker per upstream in the process.
 *
 * @param type {@code http} (default), {@code tcp} (a connect is the check) or {@code grpc} (a
 *     {@code grpc.health.v1.Health/Check} call over HTTP/2: h2c, or h2 when the upstream has {@code tls:})
 * @param path for http: the path requested with GET, default {@code /}
 * @param statuses for http: the statuses that count as healthy, default any 2xx or 3xx
 * @param interval time between checks of one endpoint, default 2s, with up to 10% jitter
 * @param timeout a check without an answer within this fails, default 1s
 * @param healthy consecutive passes that bring an unhealthy endpoint back, default 2
 * @param unhealthy consecutive failures that take an endpoint out, default 2
 * @param service for grpc: the service whose health is asked, default {@code ""} (the server's overall health)
 */
public record HealthCheckConfig(
    String type, String path, List<Integer> statuses, Duration interval, Duration timeout, Integer healthy,
    Integer unhealthy, String service) {
  public static final String HTTP = "http";
  public static final String TCP = "tcp";
  public static final String GRPC = "grpc";

  public HealthCheckConfig {
    type = type != null ? type : HTTP;
    path = path != null ? path : "/";
    statuses = statuses != null ? List.copyOf(statuses) : List.of();
    interval = interval != null ? interval : Duration.ofSeconds(2);
    timeout = timeout != null ? timeout : Duration.ofSeconds(1);
    healthy = healthy != null ? healthy : 2;
    unhealthy = unhealthy != null ? unhealthy : 2;
    service = service != null ? service : "";
  }

  /** A check without a gRPC service (http or tcp). */
  public HealthCheckConfig(String type, String path, List<Integer> statuses, Duration interval, Duration timeout,
      Integer healthy, Integer unhealthy) {
    this(type, path, statuses, interval, timeout, healthy, unhealthy, null);
  }

  /** Whether an answer with {@code status} passes the check. */
  public boolean passes(int status) {
    return statuses.isEmpty() ? status >= 200 && status < 400 : statuses.contains(status);
  }
}
