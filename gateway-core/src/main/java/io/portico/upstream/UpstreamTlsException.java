package io.portico.upstream;

import javax.net.ssl.SSLException;

/** A TLS handshake with an upstream failed; the cause says why. No stack trace: an expected outcome. */
final class UpstreamTlsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UpstreamTlsException(String endpoint, Throwable cause) {
    super("TLS handshake with " + endpoint + " failed: " + describe(cause), cause, false, false);
  }

  /** Whether {@code cause} or one of its causes is a TLS failure. */
  static boolean isTls(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SSLException || t instanceof UpstreamTlsException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The outer TLS message and the innermost cause, e.g. {@code SSLHandshakeException: PKIX path
   * building failed (SunCertPathBuilderException: unable to find valid certification path...)}.
   */
  static String describe(Throwable cause) {
    if (cause == null) {
      return "unknown cause";
    }
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = cause.getClass().getSimpleName() + ": " + cause.getMessage();
    if (root != cause && root.getMessage() != null && !text.contains(root.getMessage())) {
      text += " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
    return text;
  }
}
