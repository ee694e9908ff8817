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
 *   <li>Percent-encodings that are not well-formed UTF-8 (overlong forms, lone continuation bytes,
 *       surrogates, truncated sequences) are refused; well-formed ones are kept byte for byte.
 *   <li>A segment that is {@code .} or {@code ..} once its {@code ;parameters} are removed is
 *       refused: servlet containers strip them before resolving, so {@code /api/..;/admin} is
 *       {@code /admin} to them.
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
      if (c == '%' || c == '\\' || c == ';' || (previous == '/' && (c == '.' || c == '/'))) {
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
      if (value >= 0x80) {
        i = copyUtf8(raw, i, value, out) - 1;
        continue;
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

  /**
   * Copies the percent-encoded UTF-8 sequence that starts with {@code lead} at {@code at}, byte for
   * byte (upper-case hex), and returns the index after it. Refuses what is not well-formed UTF-8
   * (RFC 3629 §4): lone continuation bytes, overlong forms (such as {@code %C0%AE} for {@code .}
   * or {@code %C0%AF} for {@code /}), surrogates, code points above U+10FFFF and truncated
   * sequences, which decoders read differently.
   */
  private static int copyUtf8(String raw, int at, int lead, StringBuilder out) {
    int more;
    int low = 0x80;
    int high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      more = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      more = 2;
      low = lead == 0xE0 ? 0xA0 : 0x80; // below: overlong
      high = lead == 0xED ? 0x9F : 0xBF; // above: surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      more = 3;
      low = lead == 0xF0 ? 0x90 : 0x80;
      high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
      throw new BadPathException("invalid UTF-8 in percent-encoding");
    }
    appendEncoded(out, lead);
    int i = at + 3;
    for (int n = 0; n < more; n++, i += 3) {
      int next = encodedByte(raw, i);
      if (next < low || next > high) {
        throw new BadPathException("invalid UTF-8 in percent-encoding");
      }
      appendEncoded(out, next);
      low = 0x80;
      high = 0xBF;
    }
    return i;
  }

  /** The byte {@code %HH} at {@code at} encodes, or -1 when there is none. */
  private static int encodedByte(String raw, int at) {
    if (at + 2 >= raw.length() || raw.charAt(at) != '%') {
      return -1;
    }
    int hi = Character.digit(raw.charAt(at + 1), 16);
    int lo = Character.digit(raw.charAt(at + 2), 16);
    return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
  }

  private static void appendEncoded(StringBuilder out, int value) {
    out.append('%').append(Character.toUpperCase(Character.forDigit(value >> 4, 16)))
        .append(Character.toUpperCase(Character.forDigit(value & 0xF, 16)));
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  private static boolean isDotSegment(String segment, int end) {
    return (end == 1 && segment.charAt(0) == '.') || (end == 2 && segment.charAt(0) == '.' && segment.charAt(1) == '.');
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
      int parameters = segment.indexOf(';');
      if (parameters >= 0 && isDotSegment(segment, parameters)) {
        // servlet containers drop ";parameters" before resolving dot-segments: "..;" is ".." there
        throw new BadPathException("dot-segment with parameters in path");
      }
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
