package io.portico.upstream;

import io.portico.spi.UpstreamFailure;

/** Names what went wrong with an upstream try. */
final class Failures {
  private Failures() {}

  /** The client could not get a connection to {@code endpoint}. */
  static UpstreamFailure connect(String endpoint, Throwable cause) {
    if (cause instanceof UpstreamTlsException tls) {
      return tls(endpoint, tls.getCause());
    }
    return new UpstreamFailure(UpstreamFailure.Kind.CONNECT_FAILURE, endpoint, describe(cause));
  }

  /** The connection failed after the request was handed to it, before an answer head. */
  static UpstreamFailure reset(String endpoint, Throwable cause) {
    if (UpstreamTlsException.isTls(cause)) {
      return tls(endpoint, cause); // a TLS 1.3 server refuses a client certificate after the handshake
    }
    return new UpstreamFailure(UpstreamFailure.Kind.RESET, endpoint, describe(cause));
  }

  /** The TLS handshake failed, or the upstream ended the TLS session with an alert. */
  static UpstreamFailure tls(String endpoint, Throwable cause) {
    return new UpstreamFailure(UpstreamFailure.Kind.TLS_ERROR, endpoint, UpstreamTlsException.describe(cause));
  }

  static UpstreamFailure timeout(String endpoint, long millis) {
    return new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, endpoint, "no answer within " + millis + " ms");
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message != null ? ": " + message : "");
  }
}
