package io.portico.upstream;

import io.portico.spi.UpstreamResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;

/** An upstream answer whose head arrived; its body is paused until it is relayed or discarded. */
public final class ProxiedResponse implements UpstreamResponse {
  private final HttpClientResponse response;
  private final String endpoint;

  ProxiedResponse(HttpClientResponse response, String endpoint) {
    this.response = response;
    this.endpoint = endpoint;
  }

  @Override
  public int status() {
    return response.statusCode();
  }

  /** The upstream's own headers, hop-by-hop ones included. */
  @Override
  public MultiMap headers() {
    return response.headers();
  }

  @Override
  public String endpoint() {
    return endpoint;
  }

  /** The paused Vert.x response. */
  public HttpClientResponse raw() {
    return response;
  }

  /** Throws the body away by resetting the upstream request (its connection is not reused). */
  public void discard() {
    try {
      response.exceptionHandler(ignored -> { }); // the reset is ours: nothing to report
    } catch (IllegalStateException alreadyEnded) {
      return; // Vert.x refuses handlers on a fully read response, and there is nothing to reset
    }
    response.request().reset();
  }
}
