package io.portico.spi;

import io.vertx.core.MultiMap;

/**
 * The head of an upstream answer as seen by an {@link UpstreamInterceptor}: its body has not been
 * read and streams to the client after the response chain ran.
 */
public interface UpstreamResponse {

  int status();

  MultiMap headers();

  /** {@code host:port} of the endpoint that answered, or {@code null} for a {@link Reply}. */
  String endpoint();

  /** The gateway's own answer standing in for the upstream's, or {@code null}. */
  default Reply reply() {
    return null;
  }

  /** An answer from the gateway in place of an upstream call (a fallback). */
  static UpstreamResponse of(Reply reply) {
    return new UpstreamResponse() {
      @Override
      public int status() {
        return reply.status();
      }

      @Override
      public MultiMap headers() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        reply.headers().forEach(h -> headers.add(h.getKey(), h.getValue()));
        return headers;
      }

      @Override
      public String endpoint() {
        return null;
      }

      @Override
      public Reply reply() {
        return reply;
      }
    };
  }
}
