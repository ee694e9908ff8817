/**
 * Balancers: which endpoint of an upstream takes a try.
 *
 * <p>{@link io.portico.balance.Balancers} maps the {@code balancer} setting to a {@link
 * io.portico.balance.BalancerFactory}; an {@link io.portico.endpoint.EndpointSet} asks it for one
 * {@link io.portico.balance.Balancer} per event loop over each new list of serving endpoints. A
 * balancer is confined to its loop: plain fields, no locks, {@link
 * java.util.concurrent.ThreadLocalRandom} for chance.
 *
 * <ul>
 *   <li>{@link io.portico.balance.RoundRobinBalancer}, {@link
 *       io.portico.balance.SmoothWeightedBalancer} and {@link io.portico.balance.RandomBalancer}
 *       are stateless beyond a cursor.
 *   <li>{@link io.portico.balance.LeastRequestBalancer} and {@link
 *       io.portico.balance.PeakEwmaBalancer} learn from {@code started}/{@code finished} and hand
 *       what they learnt to the balancer over the next list.
 *   <li>{@link io.portico.balance.ConsistentHashBalancer} reads a {@link io.portico.balance.HashKey}
 *       from the request; its immutable ring is built once per list and shared by the loops.
 * </ul>
 */
package io.portico.balance;
