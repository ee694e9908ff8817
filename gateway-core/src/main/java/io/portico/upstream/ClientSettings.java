package io.portico.upstream;

/**
 * Settings that need their own client pool: upstreams that agree on them share one HttpClient per
 * event loop.
 *
 * @param connectTimeoutMillis TCP connect deadline
 * @param maxConnections connections per endpoint and event loop
 */
public record ClientSettings(int connectTimeoutMillis, int maxConnections) {}
