package io.portico.balance;

/**
 * Finds one cookie in a {@code Cookie} header value ({@code a=1; b=2}, RFC 6265 section 5.4)
 * without splitting it: positions only, no allocation. Names match case-sensitively.
 */
final class CookieHeader {

  private CookieHeader() {}

  /** Where the value of cookie {@code name} starts in {@code header}, or -1 when it is absent. */
  static int valueStart(String header, String name) {
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
  static int valueEnd(String header, int from) {
    int end = header.indexOf(';', from);
    if (end < 0) {
      end = header.length();
    }
    while (end > from && isBlank(header.charAt(end - 1))) {
      end--;
    }
    return end;
  }

  private static boolean isSeparator(char c) {
    return c == ';' || isBlank(c);
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
