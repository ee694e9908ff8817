package com.example.portico.sizeguard;

import io.micrometer.core.instrument.Counter;
import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.Plugin;
import io.portico.spi.Reply;
import io.vertx.core.Future;

/** Refuses a request whose declared length is over the limit; a chunked body is read up to it. */
final class RequestSizeGuardPlugin implements Plugin {
  private static final Reply TOO_LARGE = Reply.error(413, "request_too_large", "the request body is too large");

  private final long maxBytes;
  private final Counter refused;

  RequestSizeGuardPlugin(long maxBytes, Counter refused) {
    this.maxBytes = maxBytes;
    this.refused = refused;
  }

  @Override
  public Future<Decision> onRequest(Exchange exchange) {
    String length = exchange.requestHeaders().get("Content-Length");
    if (length != null) {
      if (Long.parseLong(length.trim()) > maxBytes) {
        refused.increment();
        return TOO_LARGE.asFuture();
      }
      return Decision.next().asFuture();
    }
    if (exchange.requestHeaders().contains("Transfer-Encoding")) {
      // no length announced: read the body up to the limit (past it, the gateway answers 413)
      return exchange.body(maxBytes).map(body -> Decision.next());
    }
    return Decision.next().asFuture();
  }
}
