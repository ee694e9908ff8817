package io.portico.route;

import io.portico.config.RouteConfig;

/**
 * A route to put into a {@link RouteTable}, with what a match should return.
 *
 * @param <T> what the table maps routes to
 */
public record RouteEntry<T>(RouteConfig config, T target) {}
