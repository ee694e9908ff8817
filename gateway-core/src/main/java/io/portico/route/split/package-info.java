/**
 * Which upstream a route's request goes to when the route names more than one: canary rules on
 * headers and cookies ({@link io.portico.route.split.CanaryRule}), then a weighted split
 * ({@link io.portico.route.split.TrafficSplit}). Compiled at config load, read on the event loops.
 */
package io.portico.route.split;
