package io.portico.plugins.jwt;

/**
 * The shape of a compact JWS (RFC 7515 §7.1) with canonical base64url parts (RFC 4648 §3.5 and
 * §5): three parts, no padding, only the URL-safe alphabet, zero trailing bits. Checked before any
 * parsing or signature work, so a token has exactly one spelling: lenient decoders would accept
 * several spellings of the same bytes, which defeats the verified-token cache and any comparison
 * of tokens by their text.
 */
final class CanonicalJws {
  private CanonicalJws() {}

  /** What is wrong with {@code token}'s form, or {@code null} when it is canonical. */
  static String problem(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0 || token.indexOf('.', second + 1) >= 0) {
      return "not a compact JWS";
    }
    if (first == 0 || second == first + 1) {
      return "empty header or payload";
    }
    String problem = part(token, 0, first);
    if (problem == null) {
      problem = part(token, first + 1, second);
    }
    return problem != null ? problem : part(token, second + 1, token.length());
  }

  private static String part(String token, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = token.charAt(i);
      if (value(c) < 0) {
        return c == '=' ? "padded base64url" : "character outside the base64url alphabet";
      }
    }
    int rest = (to - from) % 4;
    if (rest == 1) {
      return "base64url part of impossible length";
    }
    // the last character of a 2- or 3-character group carries 4 or 2 bits that encode nothing
    int unusedBits = rest == 2 ? 0x0F : rest == 3 ? 0x03 : 0;
    if (unusedBits != 0 && (value(token.charAt(to - 1)) & unusedBits) != 0) {
      return "non-zero trailing bits in base64url";
    }
    return null;
  }

  private static int value(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    return c == '-' ? 62 : c == '_' ? 63 : -1;
  }
}
