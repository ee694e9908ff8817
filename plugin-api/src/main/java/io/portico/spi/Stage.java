package io.portico.spi;

/**
 * Coarse phases of the request path, in the order their plugins' {@link Plugin#onRequest} run.
 * Within a stage plugins run by descending {@link PluginFactory#priority()}, then by name.
 * {@link Plugin#onResponse} and {@link Plugin#onComplete} run in the reverse order.
 */
public enum Stage {
  /** First contact: request ids, IP restrictions, CORS preflight, metrics and tracing starts. */
  INGRESS,
  /** Who is calling: JWT, API keys. Sets {@link Exchange#consumer()}. */
  AUTHN,
  /** May the caller do this: scopes, ACLs. */
  AUTHZ,
  /** How much: rate limits, quotas, bulkheads. */
  TRAFFIC,
  /** Request and response rewriting: headers, paths. */
  TRANSFORM,
  /** Last word before the upstream call: circuit breakers, upstream selection hints. */
  ROUTE
}
