package io.portico.upstream;

/**
 * Classifies header names for the proxy without allocating: a switch on the length, then a
 * case-insensitive compare with the few names of that length.
 */
final class HeaderNames {
  /** Forwarded as is. */
  static final int PLAIN = 0;
  /** Hop-by-hop (RFC 9110 §7.6.1): never forwarded. */
  static final int HOP_BY_HOP = 1;
  /** {@code Forwarded} and {@code X-Forwarded-*}: forwarded only from trusted proxies. */
  static final int FORWARDING = 2;
  /** {@code X-Request-Id}: replaced by the exchange's id. */
  static final int REQUEST_ID = 3;
  /** {@code Host}: sent as the upstream request's authority instead. */
  static final int HOST = 4;
  /** {@code Expect}: the gateway answers {@code 100-continue} itself. */
  static final int EXPECT = 5;
  /** {@code Content-Length}: set by the gateway from how the body is sent. */
  static final int CONTENT_LENGTH = 6;

  private HeaderNames() {}

  static int classify(CharSequence name) {
    switch (name.length()) {
      case 2:
        return is(name, "te") ? HOP_BY_HOP : PLAIN;
      case 4:
        return is(name, "host") ? HOST : PLAIN;
      case 6:
        return is(name, "expect") ? EXPECT : PLAIN;
      case 7:
        return is(name, "trailer") || is(name, "upgrade") ? HOP_BY_HOP : PLAIN;
      case 9:
        return is(name, "forwarded") ? FORWARDING : PLAIN;
      case 10:
        return is(name, "connection") || is(name, "keep-alive") ? HOP_BY_HOP : PLAIN;
      case 12:
        return is(name, "x-request-id") ? REQUEST_ID : PLAIN;
      case 14:
        return is(name, "content-length") ? CONTENT_LENGTH : forwarding(name);
      case 16:
        return is(name, "proxy-connection") ? HOP_BY_HOP : forwarding(name);
      case 17:
        return is(name, "transfer-encoding") ? HOP_BY_HOP : forwarding(name);
      case 18:
        return is(name, "proxy-authenticate") ? HOP_BY_HOP : forwarding(name);
      case 19:
        return is(name, "proxy-authorization") ? HOP_BY_HOP : forwarding(name);
      default:
        return forwarding(name);
    }
  }

  /** Whether a response header must not be passed on to the client. */
  static boolean isHopByHop(CharSequence name) {
    return classify(name) == HOP_BY_HOP;
  }

  private static int forwarding(CharSequence name) {
    return name.length() > 12 && regionIs(name, "x-forwarded-") ? FORWARDING : PLAIN;
  }

  static boolean is(CharSequence name, String lower) {
    return name.length() == lower.length() && regionIs(name, lower);
  }

  static boolean regionIs(CharSequence name, String lower) {
    for (int i = 0; i < lower.length(); i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + 32);
      }
      if (c != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
