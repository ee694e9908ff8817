package io.portico.spi;

/**
 * Coarse phases of the request path, in the order their plugins' {@link Plugin#onRequest} run.
 * Within a stage plugins run by descending {@link PluginFactory#priority()}, then by name.
 * {@link Plugin#onResponse} and {@link Plugin#onComplete} run in the reverse order.
 *
 * <p>The bundled plugins of {@link #INGRESS}, in the order their {@code onRequest} runs (the
 * same table is in {@code docs/plugins.md}; a test in gateway-dist pins both to the plugins):
 *
 * <table>
 *   <caption>INGRESS order</caption>
 *   <tr><th>order</th><th>plugin</th><th>priority</th><th>why there</th></tr>
 *   <tr><td>1</td><td>metrics</td><td>10000</td><td>times and counts every exchange, refused ones too</td></tr>
 *   <tr><td>2</td><td>tracing</td><td>9500</td><td>the span starts before anything can answer</td></tr>
 *   <tr><td>3</td><td>access-log</td><td>9000</td><td>logs every exchange, refused ones too</td></tr>
 *   <tr><td>4</td><td>request-id</td><td>1000</td><td>the id is set before a plugin answers or calls out</td></tr>
 *   <tr><td>5</td><td>ip-restriction</td><td>950</td><td>the cheapest refusal, before CORS and authentication</td></tr>
 *   <tr><td>6</td><td>cors</td><td>900</td><td>preflights are answered before authentication</td></tr>
 * </table>
 *
 * A new INGRESS plugin picks a priority that places it in this table (and adds its row).
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
