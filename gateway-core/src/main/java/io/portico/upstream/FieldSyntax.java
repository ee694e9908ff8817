package io.portico.upstream;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.Map;

/**
 * The syntax of header field names and values (RFC 9110 §5.1, §5.5; RFC 9113 §8.2.1), checked
 * without allocating. Shared by the HTTP/2 boundary check and by the last check before a head is
 * written on an HTTP/1.1 connection, so that no CR, LF or NUL can ever split a line there.
 */
public final class FieldSyntax {
  private static final boolean[] TCHAR = new boolean[128];
  /** Eight bytes of an array as one long, for {@link #firstLineBreakOrNul}. */
  private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  /** From this length a String value is searched with {@code indexOf}. */
  private static final int LONG_VALUE = 64;

  static {
    for (char c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 32] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  private FieldSyntax() {}

  /** Whether {@code name} is a non-empty token (RFC 9110 §5.6.2). */
  public static boolean isToken(CharSequence name) {
    // the two kinds a head holds (decoded names, names the gateway sets) each get a loop of their
    // own: one call site per kind keeps charAt inlined instead of an interface call per character;
    // any other kind is rare and judged as its String
    return name instanceof AsciiString ascii ? isToken(ascii) : isToken(name.toString());
  }

  private static boolean isToken(String name) {
    int length = name.length();
    if (length == 0) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = name.charAt(i);
      if (c >= 128 || !TCHAR[c]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isToken(AsciiString name) {
    int length = name.length();
    if (length == 0) {
      return false;
    }
    byte[] bytes = name.array();
    int end = name.arrayOffset() + length;
    for (int i = name.arrayOffset(); i < end; i++) {
      int b = bytes[i];
      if (b < 0 || !TCHAR[b]) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code name} is a non-empty token without upper-case letters, as HTTP/2 requires. */
  public static boolean isLowerCaseToken(CharSequence name) {
    int length = name.length();
    if (length == 0) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = name.charAt(i);
      if (c >= 128 || !TCHAR[c] || (c >= 'A' && c <= 'Z')) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code value} holds a NUL, CR or LF: bytes that can end a line in some parser. */
  public static boolean hasLineBreakOrNul(CharSequence value) {
    return value instanceof AsciiString ascii ? hasLineBreakOrNul(ascii) : hasLineBreakOrNul(value.toString());
  }

  private static boolean hasLineBreakOrNul(String value) {
    int length = value.length();
    if (length >= LONG_VALUE) {
      // indexOf runs as vector code: on a 700-character token three of them take half the time of
      // one loop over its characters; on short values the loop is quicker
      return value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf(0) >= 0;
    }
    for (int i = 0; i < length; i++) {
      if (isLineBreakOrNul(value.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasLineBreakOrNul(AsciiString value) {
    int end = value.arrayOffset() + value.length();
    return firstLineBreakOrNul(value.array(), value.arrayOffset(), end) < end;
  }

  /**
   * The index of the first CR, LF or NUL in {@code bytes[from, to)}, or {@code to}. Header values
   * (tokens, cookies) are most of a head's bytes and nearly never hold one, so they are taken eight
   * at a time: a word none of whose bytes is below 0x0E cannot hold one; a word that has such a byte
   * (a tab, say) is looked at byte by byte.
   */
  public static int firstLineBreakOrNul(byte[] bytes, int from, int to) {
    int i = from;
    while (i <= to - Long.BYTES) {
      long word = (long) WORDS.get(bytes, i);
      // any byte below 0x0E (bytes of 0x80 and more are masked out and borrow nothing)
      if (((word - 0x0E * ONES) & ~word & HIGH_BITS) != 0) {
        for (int k = i; k < i + Long.BYTES; k++) {
          if (isLineBreakOrNul((char) (bytes[k] & 0xFF))) {
            return k;
          }
        }
      }
      i += Long.BYTES;
    }
    for (; i < to; i++) {
      if (isLineBreakOrNul((char) (bytes[i] & 0xFF))) {
        return i;
      }
    }
    return to;
  }

  private static boolean isLineBreakOrNul(char c) {
    return c <= '\r' && (c == '\r' || c == '\n' || c == 0); // one comparison for nearly every byte
  }

  /** Whether {@code value} starts or ends with a space or a tab (RFC 9113 §8.2.1). */
  public static boolean hasEdgeWhitespace(CharSequence value) {
    int length = value.length();
    return length > 0 && (isBlank(value.charAt(0)) || isBlank(value.charAt(length - 1)));
  }

  /**
   * The first header of {@code headers} that must not be written on an HTTP/1.1 connection (a name
   * that is not a token, a value with CR, LF or NUL), as {@code name} for the message; or
   * {@code null} when all are safe.
   */
  public static String firstUnsafe(HttpHeaders headers) {
    Iterator<Map.Entry<CharSequence, CharSequence>> entries = headers.iteratorCharSequence();
    while (entries.hasNext()) {
      Map.Entry<CharSequence, CharSequence> entry = entries.next();
      CharSequence name = entry.getKey();
      if (!isToken(name) || hasLineBreakOrNul(entry.getValue())) {
        return printable(name);
      }
    }
    return null;
  }

  /** {@code text} with control bytes shown as {@code \xNN}, at most 64 characters: safe to log. */
  public static String printable(CharSequence text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), 64) + 8);
    for (int i = 0; i < text.length() && out.length() < 64; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        out.append(String.format("\\x%02X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
