package io.portico.exchange;

import io.portico.spi.Endpoint;
import io.portico.upstream.RequestBody;
import io.portico.upstream.RequestMirror;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands an exchange's request to its route's {@link RequestMirror}: decides whether this request
 * can be copied (sampled, not a streamed body, room in the mirror's pool, a ready endpoint) and
 * gives the copy the headers, path and body the upstream is sent.
 */
final class Mirroring {
  private static final Logger LOG = LoggerFactory.getLogger(RequestMirror.class);

  private Mirroring() {}

  /**
   * Starts a copy of {@code exchange}'s request when its route mirrors, once per exchange (later
   * calls, such as a retry's, do nothing). Call on the exchange's event loop once the request
   * phase is over. Returns at once: the copy leaves on a later turn of the loop.
   */
  static void start(ProxyExchange exchange) {
    RequestMirror mirror = exchange.route.mirror();
    if (mirror == null || !exchange.trace.firstMirroring()) {
      return;
    }
    try {
      copy(mirror, exchange);
    } catch (RuntimeException e) {
      LOG.debug("route {}: mirror to {} failed to start", mirror.route(), mirror.upstream().name(), e);
    }
  }

  private static void copy(RequestMirror mirror, ProxyExchange exchange) {
    int loop = exchange.loop.index;
    if (!mirror.sampled(loop)) {
      return;
    }
    String route = mirror.route();
    BodyReader reader = exchange.bodyReader;
    if (exchange.hasBody && (reader == null || !reader.started())) {
      LOG.trace("route {}: request {} not mirrored: its body streams", route, exchange.requestId());
      return;
    }
    if (mirror.full(loop)) {
      LOG.debug("route {}: request {} not mirrored: copies to {} at max-connections", route, exchange.requestId(),
          mirror.upstream().name());
      return;
    }
    Endpoint endpoint = mirror.upstream().pick(loop, exchange);
    if (endpoint == null) {
      LOG.debug("route {}: request {} not mirrored: upstream {} has no ready endpoint", route, exchange.requestId(),
          mirror.upstream().name());
      return;
    }
    MultiMap headers = HttpHeaders.headers();
    exchange.writeTo(headers); // the headers as the upstream gets them
    headers.set(RequestMirror.HEADER, "true");
    String query = exchange.query();
    RequestMirror.Copy copy = mirror.newCopy(loop, exchange.context, exchange.loop.deadlines, exchange.requestId(),
        exchange.method(), query == null ? exchange.upstreamPath() : exchange.upstreamPath() + '?' + query,
        exchange.authorityText(), headers, exchange.loop.clients.pool(endpoint, mirror.upstream().settings()));
    if (reader == null || !reader.started()) {
      exchange.context.runOnContext(v -> copy.send(RequestBody.NONE));
    } else {
      // the buffered body is a heap buffer that writes never release: it can go twice
      reader.read().onComplete(read -> exchange.context.runOnContext(v -> {
        if (read.succeeded()) {
          copy.send(RequestBody.buffered(read.result()));
        } else {
          copy.over("the body could not be read: " + read.cause().getMessage());
        }
      }));
    }
  }
}
