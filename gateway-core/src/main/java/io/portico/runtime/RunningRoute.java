package io.portico.runtime;

import io.portico.chain.CompiledChain;
import io.portico.config.RouteConfig;
import io.portico.route.split.TrafficSplit;
import io.portico.upstream.RequestMirror;
import io.portico.upstream.HedgePolicy;
import io.portico.upstream.RetryPolicy;
import io.portico.upstream.Upstream;

/**
 * A route of the running snapshot, with everything the request path needs resolved: its chain,
 * its upstreams, its timeout and body limit.
 *
 * @param upstream the route's default upstream: its {@code upstream}, or the first of its
 *     {@code split} (for views and code that needs one); each exchange chooses its own through
 *     {@code traffic}
 * @param traffic canary rules and weighted split, {@code null} when every request goes to
 *     {@code upstream}
 * @param mirror where copies of the requests go, {@code null} for none
 * @param timeoutMillis deadline for the upstream answer head, 0 for none
 * @param maxBodySize request body limit in bytes, -1 for none
 * @param retry the route's retry policy and budget
 * @param hedge the route's hedged tries, {@code null} for none
 */
public record RunningRoute(String name, RouteConfig config, CompiledChain chain, Upstream upstream, TrafficSplit<Upstream> traffic,
    RequestMirror mirror, long timeoutMillis, long maxBodySize, RetryPolicy retry, HedgePolicy hedge) {}
