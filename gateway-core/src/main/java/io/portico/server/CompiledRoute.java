package io.portico.server;

import io.portico.chain.CompiledChain;
import io.portico.config.RouteConfig;
import io.portico.upstream.Upstream;

/**
 * A route of the running snapshot, with everything the request path needs resolved: its chain,
 * its upstream, its timeout and body limit.
 *
 * @param timeoutMillis deadline for the upstream answer head, 0 for none
 * @param maxBodySize request body limit in bytes, -1 for none
 * @param retry the route's retry policy and budget
 */
record CompiledRoute(String name, RouteConfig config, CompiledChain chain, Upstream upstream, long timeoutMillis, long maxBodySize,
    RetryPolicy retry) {}
