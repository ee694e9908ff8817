package io.portico.upstream;

import io.portico.config.Http2Config;
import io.portico.config.UpstreamProtocol;

/**
 * Connection settings of an upstream: each endpoint gets one {@link ConnectionPool} per event loop
 * and per settings.
 *
 * @param connectTimeoutMillis TCP connect deadline
 * @param maxConnections HTTP/1.1 connections per endpoint and event loop
 * @param tls TLS to the endpoints (compared by identity: one instance per upstream TLS block), or
 *     {@code null} for plain HTTP
 * @param protocol HTTP/1.1, or HTTP/2 in one of its forms
 * @param http2 the HTTP/2 connections' limits (unused for HTTP/1.1)
 */
public record ClientSettings(int connectTimeoutMillis, int maxConnections, UpstreamTls tls, UpstreamProtocol protocol,
    Http2Config http2) {
  public ClientSettings {
    protocol = protocol != null ? protocol : UpstreamProtocol.HTTP1;
    http2 = http2 != null ? http2 : Http2Config.defaults();
  }

  /** HTTP/1.1 settings. */
  public ClientSettings(int connectTimeoutMillis, int maxConnections, UpstreamTls tls) {
    this(connectTimeoutMillis, maxConnections, tls, UpstreamProtocol.HTTP1, null);
  }

  /** Plain HTTP/1.1 settings. */
  public ClientSettings(int connectTimeoutMillis, int maxConnections) {
    this(connectTimeoutMillis, maxConnections, null);
  }
}
