package io.portico.upstream;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header names a message's {@code Connection} header declares hop-by-hop (RFC 9110 §7.6.1),
 * beyond the standard ones that are stripped anyway. Usually there are none and nothing is
 * allocated.
 */
final class ConnectionTokens {
  static final String[] NONE = new String[0];

  private ConnectionTokens() {}

  /** The names the first {@code Connection} header of {@code headers} declares. */
  static String[] first(MultiMap headers) {
    String value = headers.get(io.netty.handler.codec.http.HttpHeaderNames.CONNECTION);
    if (value == null || isStandard(value)) {
      return NONE; // the usual case: no names, nothing to split
    }
    List<String> names = add(value, null);
    return names == null ? NONE : names.toArray(NONE);
  }

  /** Adds the non-standard names of one {@code Connection} value to {@code names}, lower case. */
  static List<String> add(CharSequence value, List<String> names) {
    String text = value.toString();
    int start = 0;
    while (start <= text.length()) {
      int comma = text.indexOf(',', start);
      int end = comma < 0 ? text.length() : comma;
      String token = text.substring(start, end).trim();
      if (!token.isEmpty() && !isStandard(token)) {
        if (names == null) {
          names = new ArrayList<>(2);
        }
        names.add(token.toLowerCase(Locale.ROOT));
      }
      start = end + 1;
    }
    return names;
  }

  static boolean contains(String[] tokens, CharSequence name) {
    for (String token : tokens) {
      if (token.length() == name.length() && HeaderNames.regionIs(name, token)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isStandard(String token) {
    return token.equalsIgnoreCase("keep-alive") || token.equalsIgnoreCase("close") || token.equalsIgnoreCase("upgrade");
  }
}
