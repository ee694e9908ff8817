package io.portico.server.framing;

import io.portico.upstream.FieldSyntax;
import java.util.Map;

/**
 * The rules every header field of an HTTP/2 request must follow (RFC 9113 §8.2.1, §8.2.2, §8.3),
 * checked once where the fields leave the HPACK decoder, before anything reads them. A request
 * that breaks one is malformed: it never becomes an exchange, so no plugin sees it and nothing of
 * it is re-framed into an HTTP/1.1 request to an upstream.
 *
 * <p>Netty checks some of these itself (upper-case names, connection-specific fields, pseudo-header
 * fields after regular ones, a {@code content-length} that disagrees with the DATA), but not the
 * bytes of values nor the characters of names: its HPACK decoder is built with value checks off,
 * and Vert.x offers no option to turn them on. All are checked here so the rules live in one place.
 */
final class Http2FieldRules {
  private Http2FieldRules() {}

  /**
   * Why the field block is malformed, or {@code null} when it is well-formed.
   *
   * @param trailers whether the block is a request's trailer section rather than its head
   */
  static String problem(Iterable<Map.Entry<CharSequence, CharSequence>> fields, boolean trailers) {
    boolean regularSeen = false;
    CharSequence host = null;
    CharSequence authority = null;
    for (Map.Entry<CharSequence, CharSequence> field : fields) {
      CharSequence name = field.getKey();
      CharSequence value = field.getValue();
      if (FieldSyntax.hasLineBreakOrNul(value)) {
        return "CR, LF or NUL in the value of " + FieldSyntax.printable(name);
      }
      if (FieldSyntax.hasEdgeWhitespace(value)) {
        return "leading or trailing whitespace in the value of " + FieldSyntax.printable(name);
      }
      if (name.length() > 0 && name.charAt(0) == ':') {
        if (trailers || regularSeen) {
          return "pseudo-header field " + FieldSyntax.printable(name) + (trailers ? " in trailers" : " after a regular field");
        }
        String problem = pseudoProblem(name, value);
        if (problem != null) {
          return problem;
        }
        if (is(name, ":authority")) {
          authority = value;
        }
        continue;
      }
      regularSeen = true;
      if (!FieldSyntax.isLowerCaseToken(name)) {
        return "field name " + FieldSyntax.printable(name) + " is not a lower-case token";
      }
      if (isConnectionSpecific(name, value)) {
        return "connection-specific field " + name;
      }
      if (is(name, "host")) {
        if (host != null) {
          return "more than one host field";
        }
        host = value;
      }
    }
    if (host != null && authority != null && !contentEqualsIgnoreCase(host, authority)) {
      return "host and :authority differ";
    }
    return null;
  }

  private static String pseudoProblem(CharSequence name, CharSequence value) {
    if (is(name, ":method")) {
      return FieldSyntax.isToken(value) ? null : ":method is not a token";
    }
    if (is(name, ":path")) {
      if (value.length() == 0) {
        return "empty :path";
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c <= ' ' || c == 0x7F) {
          return "space or control character in :path";
        }
      }
      return null;
    }
    if (is(name, ":scheme") || is(name, ":authority") || is(name, ":protocol")) {
      return null; // their bytes were checked above; the authority's syntax is the Host rules'
    }
    return "unknown pseudo-header field " + FieldSyntax.printable(name);
  }

  /** RFC 9113 §8.2.2: fields that only mean something to one HTTP/1.1 connection. */
  private static boolean isConnectionSpecific(CharSequence name, CharSequence value) {
    switch (name.length()) {
      case 2:
        return is(name, "te") && !contentEqualsIgnoreCase(value, "trailers");
      case 7:
        return is(name, "upgrade");
      case 10:
        return is(name, "connection") || is(name, "keep-alive");
      case 16:
        return is(name, "proxy-connection");
      case 17:
        return is(name, "transfer-encoding");
      default:
        return false;
    }
  }

  /** Exact compare: HTTP/2 names are lower case (checked before this is used on regular names). */
  private static boolean is(CharSequence name, String lower) {
    if (name.length() != lower.length()) {
      return false;
    }
    for (int i = 0; i < lower.length(); i++) {
      if (name.charAt(i) != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean contentEqualsIgnoreCase(CharSequence a, CharSequence b) {
    if (a.length() != b.length()) {
      return false;
    }
    for (int i = 0; i < a.length(); i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y && Character.toLowerCase(x) != Character.toLowerCase(y)) {
        return false;
      }
    }
    return true;
  }
}
