package io.portico.plugins.essentials;

import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.Plugin;
import io.portico.spi.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.Set;

/** The CORS decisions for one route; all header values are computed once, at creation. */
final class CorsPlugin implements Plugin {
  private final boolean anyOrigin;
  private final Set<String> origins;
  private final boolean credentials;
  private final String methods;
  private final String allowHeaders;
  private final String exposeHeaders;
  private final String maxAge;

  CorsPlugin(CorsConfig config) {
    this.anyOrigin = config.allowOrigins().contains("*");
    this.origins = Set.copyOf(config.allowOrigins());
    this.credentials = config.allowCredentials();
    this.methods = String.join(", ", config.allowMethods());
    this.allowHeaders = config.allowHeaders().isEmpty() ? null : String.join(", ", config.allowHeaders());
    this.exposeHeaders = config.exposeHeaders().isEmpty() ? null : String.join(", ", config.exposeHeaders());
    this.maxAge = Long.toString(config.maxAge().toSeconds());
  }

  @Override
  public Future<Decision> onRequest(Exchange exchange) {
    String origin = exchange.requestHeaders().get("Origin");
    if (origin == null) {
      return Decision.next().asFuture();
    }
    boolean allowed = anyOrigin || origins.contains(origin);
    String requestedMethod = exchange.requestHeaders().get("Access-Control-Request-Method");
    if (exchange.method() == HttpMethod.OPTIONS && requestedMethod != null) {
      return preflight(exchange, origin, allowed).asFuture();
    }
    if (allowed) {
      MultiMap headers = exchange.additionalResponseHeaders();
      headers.set("Access-Control-Allow-Origin", anyOrigin && !credentials ? "*" : origin);
      if (credentials) {
        headers.set("Access-Control-Allow-Credentials", "true");
      }
      if (exposeHeaders != null) {
        headers.set("Access-Control-Expose-Headers", exposeHeaders);
      }
      headers.add("Vary", "Origin");
    }
    return Decision.next().asFuture();
  }

  /** A preflight never reaches the upstream: allowed or not, the gateway answers it. */
  private Reply preflight(Exchange exchange, String origin, boolean allowed) {
    Reply reply = Reply.status(204).withHeader("Vary", "Origin");
    if (!allowed) {
      return reply;
    }
    String requestedHeaders = exchange.requestHeaders().get("Access-Control-Request-Headers");
    reply = reply
        .withHeader("Access-Control-Allow-Origin", anyOrigin && !credentials ? "*" : origin)
        .withHeader("Access-Control-Allow-Methods", methods)
        .withHeader("Access-Control-Max-Age", maxAge);
    String headers = allowHeaders != null ? allowHeaders : requestedHeaders;
    if (headers != null) {
      reply = reply.withHeader("Access-Control-Allow-Headers", headers);
    }
    if (credentials) {
      reply = reply.withHeader("Access-Control-Allow-Credentials", "true");
    }
    return reply;
  }

}
