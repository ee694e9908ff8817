package io.portico.route.split;

/** Reads one cookie out of a {@code Cookie} request header without parsing the others. */
final class Cookies {
  private Cookies() {}

  /**
   * The value of cookie {@code name} (exact case) in a {@code Cookie} header such as
   * {@code a=1; beta="1"}, without surrounding quotes; {@code null} when the header has none.
   */
  static String value(String header, String name) {
    int length = header.length();
    int at = 0;
    while (at < length) {
      while (at < length && (header.charAt(at) == ' ' || header.charAt(at) == '\t' || header.charAt(at) == ';')) {
        at++;
      }
      int end = header.indexOf(';', at);
      if (end < 0) {
        end = length;
      }
      int nameEnd = at + name.length();
      if (nameEnd < end && header.charAt(nameEnd) == '=' && header.startsWith(name, at)) {
        return unquote(header, nameEnd + 1, end);
      }
      at = end + 1;
    }
    return null;
  }

  private static String unquote(String header, int from, int to) {
    while (to > from && (header.charAt(to - 1) == ' ' || header.charAt(to - 1) == '\t')) {
      to--;
    }
    if (to - from >= 2 && header.charAt(from) == '"' && header.charAt(to - 1) == '"') {
      from++;
      to--;
    }
    return header.substring(from, to);
  }
}
