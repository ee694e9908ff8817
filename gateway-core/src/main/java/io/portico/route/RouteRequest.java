package io.portico.route;

import io.vertx.core.http.HttpMethod;

/** What the route table looks at in a request. */
public interface RouteRequest {

  /** Lower-case host without port; empty when the request named none. */
  String host();

  /** The normalised path ({@link PathNormalizer}), without query. */
  String path();

  HttpMethod method();

  /** First value of a request header, or {@code null}. */
  String header(String name);

  /** First value of a query parameter, decoded, or {@code null}. */
  String queryParam(String name);
}
