package io.portico.upstream;

import io.netty.handler.codec.http.HttpResponse;
import io.portico.spi.UpstreamResponse;
import io.vertx.core.MultiMap;

/**
 * An upstream answer whose head arrived; its body waits in the connection until it is relayed to a
 * {@link ResponseSink} or discarded.
 */
public final class ProxiedResponse implements UpstreamResponse {
  private final HttpResponse head;
  private final String endpoint;
  private final UpstreamAttempt attempt;

  ProxiedResponse(HttpResponse head, String endpoint, UpstreamAttempt attempt) {
    this.head = head;
    this.endpoint = endpoint;
    this.attempt = attempt;
  }

  @Override
  public int status() {
    return head.status().code();
  }

  /** The upstream's own headers, hop-by-hop ones included. */
  @Override
  public MultiMap headers() {
    return (MultiMap) head.headers(); // decoded into Vert.x header maps (UpstreamChannelInitializer)
  }

  @Override
  public String endpoint() {
    return endpoint;
  }

  /** Sends the body (already read and yet to come) to {@code sink}. */
  public void relayTo(ResponseSink sink) {
    attempt.attach(sink);
  }

  /** Stops reading the body from the upstream (the client cannot take more). */
  public void pauseReading() {
    attempt.reading(false);
  }

  public void resumeReading() {
    attempt.reading(true);
  }

  /** Throws the body away: the connection is closed, not reused. */
  public void discard() {
    attempt.abort();
  }
}
