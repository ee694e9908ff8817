package io.portico.plugins.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code rate-limit:} on a route (or globally).
 *
 * @param key what a bucket is per: {@code route}, {@code client-ip}, {@code header:NAME},
 *     {@code consumer} (alias {@code jwt:sub}), {@code jwt:CLAIM} (request header
 *     {@code X-Jwt-CLAIM}, set by jwt-auth's {@code claims-to-headers}), or several of these
 *     separated by commas for a combined key; default {@code route}
 * @param limits bandwidths enforced together, e.g. 10 per second and 1,000 per hour
 * @param overrides limits for particular consumers, replacing {@code limits} (and a bucket of
 *     their own)
 * @param headers send {@code RateLimit-*} headers on allowed and rejected answers, default true
 * @param mode {@code enforce} (default) or {@code shadow}: count would-be rejections, reject nothing
 * @param store {@code local} (default, per replica) or {@code redis} (shared by every replica)
 * @param redis where the shared buckets live
 * @param onStoreFailure what to do while Redis is unreachable: {@code local} (default), {@code
 *     allow} or {@code deny}
 * @param localShare the fraction of each limit one replica enforces alone while Redis is
 *     unreachable, used when the gateway does not know the number of replicas; default 1
 * @param maxKeys buckets kept per route at most, default 100,000 (idle ones expire first)
 */
public record RateLimitConfig(
    String key,
    List<Limit> limits,
    Map<String, List<Limit>> overrides,
    Boolean headers,
    Mode mode,
    Store store,
    Redis redis,
    OnStoreFailure onStoreFailure,
    Double localShare,
    Integer maxKeys) {

  public RateLimitConfig {
    key = key != null ? key : "route";
    limits = limits != null ? List.copyOf(limits) : List.of();
    overrides = overrides != null ? Map.copyOf(overrides) : Map.of();
    headers = headers != null ? headers : Boolean.TRUE;
    mode = mode != null ? mode : Mode.ENFORCE;
    store = store != null ? store : Store.LOCAL;
    onStoreFailure = onStoreFailure != null ? onStoreFailure : OnStoreFailure.LOCAL;
    localShare = localShare != null ? localShare : 1.0;
    maxKeys = maxKeys != null ? maxKeys : 100_000;
  }

  /**
   * One bandwidth: {@code capacity} requests {@code per} period.
   *
   * @param refill {@code greedy} (default: tokens trickle back continuously) or {@code interval}
   *     (all tokens come back at once at the end of each period)
   */
  public record Limit(Long capacity, Duration per, Refill refill) {
    public Limit {
      if (capacity == null || capacity < 1) {
        throw new IllegalArgumentException("capacity must be at least 1");
      }
      if (per == null || per.toMillis() < 1) {
        throw new IllegalArgumentException("per must be a duration of at least 1ms");
      }
      refill = refill != null ? refill : Refill.GREEDY;
    }
  }

  /** How a bandwidth's tokens come back. */
  public enum Refill { GREEDY, INTERVAL }

  /** Enforce or only observe. */
  public enum Mode { ENFORCE, SHADOW }

  /** Where buckets live. */
  public enum Store { LOCAL, REDIS }

  /** Behaviour while the shared store is unreachable. */
  public enum OnStoreFailure { LOCAL, ALLOW, DENY }

  /**
   * The shared store. Routes with equal settings share one connection.
   *
   * @param uri {@code redis://host:port/db} ({@code rediss://} for TLS); a password in the URI
   *     works but {@code password-env} keeps it out of the config
   * @param passwordEnv environment variable holding the password
   * @param tls connect with TLS (verifying the server against the JVM's trust store); default
   *     false, implied by {@code rediss://}
   * @param timeout how long a bucket operation may take before the store counts as failed,
   *     default 250ms
   */
  public record Redis(String uri, String passwordEnv, Boolean tls, Duration timeout) {
    public Redis {
      tls = tls != null ? tls : Boolean.FALSE;
      timeout = timeout != null ? timeout : Duration.ofMillis(250);
    }
  }
}
