package io.portico.route;

/**
 * Finds one cookie in a {@code Cookie} header value ({@code a=1; b=2}, RFC 6265 section 5.4)
 * without splitting it: positions only, no allocation. Names match case-sensitively. Hash keys
 * (balancers) and canary rules (traffic split) read cookies through it.
 */
public final class CookieHeader {

  private CookieHeader() {}

  /** Where the value of cookie {@code name} starts in {@code header}, or -1 when it is absent. */
  public static int valueStart(String header, String name) {
    int length = header.length();
    int nameLength = name.length();
    int i = 0;
    while (i < length) {
      while (i < length && isSeparator(header.charAt(i))) {
        i++;
      }
      int end = header.indexOf(';', i);
      if (end < 0) {
        end = length;
      }
      if (end - i > nameLength && header.charAt(i + nameLength) == '=' && header.regionMatches(i, name, 0, nameLength)) {
        return i + nameLength + 1;
      }
      i = end + 1;
    }
    return -1;
  }

  /** Where the value starting at {@code from} ends: the next {@code ;}, trailing blanks left out. */
  public static int valueEnd(String header, int from) {
    int end = header.indexOf(';', from);
    if (end < 0) {
      end = header.length();
    }
    while (end > from && isBlank(header.charAt(end - 1))) {
      end--;
    }
    return end;
  }

  /**
   * The value of cookie {@code name}, without surrounding quotes, or {@code null} when the header
   * has none.
   */
  public static String value(String header, String name) {
    int from = valueStart(header, name);
    if (from < 0) {
      return null;
    }
    int to = valueEnd(header, from);
    if (to - from >= 2 && header.charAt(from) == '"' && header.charAt(to - 1) == '"') {
      from++;
      to--;
    }
    return header.substring(from, to);
  }

  private static boolean isSeparator(char c) {
    return c == ';' || isBlank(c);
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
