package io.portico.exchange;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/** How a client request's body is framed, as far as the proxy needs to know. */
final class RequestFraming {
  private RequestFraming() {}

  /** The declared {@code Content-Length}, or -1 when there is none (or it is not a number). */
  static long declaredLength(HttpServerRequest request) {
    String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1; // HTTP/1 framing was checked by the guard; HTTP/2 lengths are checked by the codec
    }
  }

  /**
   * Whether a body follows the head. HTTP/1.1 says so with {@code Content-Length} or chunked
   * framing; HTTP/2 only by not ending the stream, so methods without a body semantics are taken
   * as bodiless there unless a length is declared.
   */
  static boolean hasBody(HttpServerRequest request) {
    return hasBody(request, declaredLength(request));
  }

  /** {@link #hasBody(HttpServerRequest)} with the declared length already read. */
  static boolean hasBody(HttpServerRequest request, long declared) {
    if (declared >= 0) {
      return declared > 0;
    }
    if (request.version() != HttpVersion.HTTP_2) {
      return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }
    HttpMethod method = request.method();
    return !request.isEnded() && method != HttpMethod.GET && method != HttpMethod.HEAD
        && method != HttpMethod.OPTIONS && method != HttpMethod.TRACE;
  }

  /** Whether the client waits for {@code 100 Continue} before sending its body. */
  static boolean expectsContinue(HttpServerRequest request) {
    String expect = request.getHeader(HttpHeaders.EXPECT);
    return expect != null && expect.equalsIgnoreCase("100-continue") && request.version() == HttpVersion.HTTP_1_1;
  }
}
