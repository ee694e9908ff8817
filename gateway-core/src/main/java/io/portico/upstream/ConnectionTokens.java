package io.portico.upstream;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;

/**
 * The header names a message's {@code Connection} header declares hop-by-hop (RFC 9110 §7.6.1),
 * beyond the standard ones that are stripped anyway. Usually there are none and nothing is
 * allocated.
 */
final class ConnectionTokens {
  private static final String[] NONE = new String[0];

  private ConnectionTokens() {}

  static String[] of(MultiMap headers) {
    if (headers.get("connection") == null) {
      return NONE;
    }
    List<String> values = headers.getAll("connection");
    if (values.size() == 1 && values.get(0).indexOf(',') < 0 && isStandard(values.get(0).trim())) {
      return NONE; // the usual case: a single keep-alive, close or upgrade
    }
    List<String> names = null;
    for (String value : values) {
      int start = 0;
      while (start <= value.length()) {
        int comma = value.indexOf(',', start);
        int end = comma < 0 ? value.length() : comma;
        String token = value.substring(start, end).trim();
        if (!token.isEmpty() && !isStandard(token)) {
          if (names == null) {
            names = new ArrayList<>(2);
          }
          names.add(token.toLowerCase(java.util.Locale.ROOT));
        }
        start = end + 1;
      }
    }
    return names == null ? NONE : names.toArray(NONE);
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
