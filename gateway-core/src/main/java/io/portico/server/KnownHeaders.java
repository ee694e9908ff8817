package io.portico.server;

import io.vertx.core.http.HttpHeaders;

/**
 * Header names the request path looks up on every exchange, pre-encoded so that a lookup hashes
 * nothing.
 */
final class KnownHeaders {
  static final CharSequence CONTENT_LENGTH = HttpHeaders.CONTENT_LENGTH;
  static final CharSequence TRANSFER_ENCODING = HttpHeaders.TRANSFER_ENCODING;
  static final CharSequence EXPECT = HttpHeaders.EXPECT;
  static final CharSequence CONNECTION = HttpHeaders.CONNECTION;
  static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
  static final CharSequence X_FORWARDED_FOR = HttpHeaders.createOptimized("x-forwarded-for");
  static final CharSequence X_FORWARDED_PROTO = HttpHeaders.createOptimized("x-forwarded-proto");

  private KnownHeaders() {}
}
