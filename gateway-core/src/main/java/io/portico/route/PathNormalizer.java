package io.portico.route;

import java.util.ArrayList;
import java.util.List;

/**
 * Normalises a request path once, before matching, so that what is matched is what is forwarded
 * and nothing under a prefix route can reach outside it (RFC 3986 section 6.2.2 plus refusals).
 *
 * <ul>
 *   <li>Percent-encoded unreserved characters are decoded ({@code %2e} becomes {@code .}); other
 *       percent-encodings are kept, with upper-case hex.
 *   <li>Encoded {@code /} and {@code \}, encoded or raw control characters, a raw backslash and
 *       broken percent-encoding are refused: their meaning differs between servers, so guessing
 *       would open a path confusion.
 *   <li>{@code //} collapses to {@code /}; {@code .} and {@code ..} segments are resolved, and a
 *       {@code ..} above the root is refused.
 * </ul>
 */
public final class PathNormalizer {

  private PathNormalizer() {}

  /** The normalised path; the same instance when it was already normal. */
  public static String normalize(String rawPath) {
    if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      throw new BadPathException("path must start with /");
    }
    char previous = 0;
    boolean clean = true;
    for (int i = 0; i < rawPath.length(); i++) {
      char c = rawPath.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new BadPathException("control character in path");
      }
      if (c == '%' || c == '\\' || (previous == '/' && (c == '.' || c == '/'))) {
        clean = false;
      }
      previous = c;
    }
    return clean ? rawPath : resolveSegments(decodeUnreserved(rawPath));
  }

  private static String decodeUnreserved(String raw) {
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\') {
        throw new BadPathException("backslash in path");
      }
      if (c != '%') {
        out.append(c);
        continue;
      }
      if (i + 2 >= raw.length()) {
        throw new BadPathException("truncated percent-encoding");
      }
      int hi = Character.digit(raw.charAt(i + 1), 16);
      int lo = Character.digit(raw.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        throw new BadPathException("invalid percent-encoding");
      }
      int value = hi << 4 | lo;
      if (value < 0x20 || value == 0x7f || value == '/' || value == '\\') {
        throw new BadPathException("encoded slash, backslash or control character in path");
      }
      if (isUnreserved(value)) {
        out.append((char) value);
      } else {
        out.append('%').append(Character.toUpperCase(raw.charAt(i + 1))).append(Character.toUpperCase(raw.charAt(i + 2)));
      }
      i += 2;
    }
    return out.toString();
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  private static String resolveSegments(String path) {
    List<String> segments = new ArrayList<>();
    int start = 1;
    boolean trailingSlash = false;
    while (start <= path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      String segment = path.substring(start, end);
      boolean last = end == path.length();
      switch (segment) {
        case "", "." -> trailingSlash = last;
        case ".." -> {
          if (segments.isEmpty()) {
            throw new BadPathException("path climbs above the root");
          }
          segments.remove(segments.size() - 1);
          trailingSlash = last;
        }
        default -> {
          segments.add(segment);
          trailingSlash = false;
        }
      }
      start = end + 1;
    }
    StringBuilder out = new StringBuilder(path.length());
    for (String segment : segments) {
      out.append('/').append(segment);
    }
    if (trailingSlash || segments.isEmpty()) {
      out.append('/');
    }
    return out.toString();
  }
}
