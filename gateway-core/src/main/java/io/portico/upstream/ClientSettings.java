package io.portico.upstream;

/**
 * Connection settings of an upstream: each endpoint gets one {@link ConnectionPool} per event loop
 * and per settings.
 *
 * @param connectTimeoutMillis TCP connect deadline
 * @param maxConnections connections per endpoint and event loop
 * @param tls TLS to the endpoints (compared by identity: one instance per upstream TLS block), or
 *     {@code null} for plain HTTP
 */
public record ClientSettings(int connectTimeoutMillis, int maxConnections, UpstreamTls tls) {
  /** Plain HTTP settings. */
  public ClientSettings(int connectTimeoutMillis, int maxConnections) {
    this(connectTimeoutMillis, maxConnections, null);
  }
}
