package io.portico.upstream;

/**
 * Connection settings of an upstream: each endpoint gets one {@link ConnectionPool} per event loop
 * and per settings.
 *
 * @param connectTimeoutMillis TCP connect deadline
 * @param maxConnections connections per endpoint and event loop
 */
public record ClientSettings(int connectTimeoutMillis, int maxConnections) {}
