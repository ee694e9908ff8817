package io.portico.config;

import java.time.Duration;

/**
 * {@code limits:} what the listener accepts from clients.
 *
 * @param maxRequestLine longest request line (414 beyond), default 8192
 * @param maxHeaderSize total size of the request headers (431 beyond), default 16384
 * @param maxHeaders number of request headers (431 beyond), default 100
 * @param headerTimeout deadline to receive the whole request head, default 10s
 * @param idleTimeout close a keep-alive connection idle this long, default 60s
 * @param maxBodySize default request body limit for routes that set none (413 beyond), default
 *     unlimited when absent
 * @param maxWebsockets open WebSocket tunnels the listener holds at most; an upgrade beyond it is
 *     answered 503 before anything goes upstream, default 10000
 */
public record LimitsConfig(
    Integer maxRequestLine,
    Integer maxHeaderSize,
    Integer maxHeaders,
    java.time.Duration headerTimeout,
    Duration idleTimeout,
    Long maxBodySize,
    Integer maxWebsockets) {
  public LimitsConfig {
    maxRequestLine = maxRequestLine != null ? maxRequestLine : 8192;
    maxHeaderSize = maxHeaderSize != null ? maxHeaderSize : 16384;
    maxHeaders = maxHeaders != null ? maxHeaders : 100;
    headerTimeout = headerTimeout != null ? headerTimeout : Duration.ofSeconds(10);
    idleTimeout = idleTimeout != null ? idleTimeout : Duration.ofSeconds(60);
    maxWebsockets = maxWebsockets != null ? maxWebsockets : 10_000;
  }
}
