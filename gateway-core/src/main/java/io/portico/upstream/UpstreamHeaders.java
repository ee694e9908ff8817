package io.portico.upstream;

import io.vertx.core.MultiMap;

/** Writes the headers of an upstream request into the request once it exists. */
@FunctionalInterface
public interface UpstreamHeaders {
  void writeTo(MultiMap target);
}
