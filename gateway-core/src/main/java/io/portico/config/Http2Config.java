package io.portico.config;

import java.time.Duration;

/**
 * {@code upstreams[].http2:} the HTTP/2 connections of an upstream whose {@code protocol} is
 * {@code h2c}, {@code h2} or {@code auto}, per endpoint and event loop.
 *
 * @param maxConcurrentStreams streams in flight on one connection at most, default 100 (the
 *     server's own {@code SETTINGS_MAX_CONCURRENT_STREAMS} applies when lower)
 * @param maxConnections connections per endpoint and event loop at most, default 2; when all are
 *     full, tries wait briefly for a stream, then fail with 503 {@code upstream_overloaded}
 * @param pingInterval a PING on an open connection this often; a connection whose PING goes
 *     unanswered for as long is closed. Default 30s; 0 turns keep-alive off
 */
public record Http2Config(Integer maxConcurrentStreams, Integer maxConnections, Duration pingInterval) {
  public Http2Config {
    maxConcurrentStreams = maxConcurrentStreams != null ? maxConcurrentStreams : 100;
    maxConnections = maxConnections != null ? maxConnections : 2;
    pingInterval = pingInterval != null ? pingInterval : Duration.ofSeconds(30);
  }

  /** All defaults. */
  public static Http2Config defaults() {
    return new Http2Config(null, null, null);
  }
}
