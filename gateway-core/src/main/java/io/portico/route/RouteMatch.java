package io.portico.route;

/**
 * The route a request matched, and the path to send upstream after {@code strip-prefix} and
 * {@code rewrite}.
 *
 * @param <T> what the table maps routes to (the compiled route of the running config)
 */
public record RouteMatch<T>(T route, String upstreamPath) {}
