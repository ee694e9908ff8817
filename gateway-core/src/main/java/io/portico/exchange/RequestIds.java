package io.portico.exchange;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Request ids: the client's {@code X-Request-Id} when it is sane, else a new id made of a random
 * per-process prefix, the event loop's index and a per-loop counter. Cheap (no UUID, no shared
 * counter) and unique within a process; the prefix makes ids of different processes differ.
 * One instance per event loop.
 */
final class RequestIds {
  private static final int MAX_LENGTH = 128;
  private static final String PROCESS_PREFIX = processPrefix();

  private final int prefixLength;
  /** The prefix followed by room for the counter's 13 base-36 digits; reused (one loop, one thread). */
  private final byte[] scratch;
  private long counter;

  RequestIds(int loop) {
    byte[] prefix = (PROCESS_PREFIX + Integer.toString(loop, 36) + '-').getBytes(StandardCharsets.ISO_8859_1);
    this.prefixLength = prefix.length;
    this.scratch = java.util.Arrays.copyOf(prefix, prefix.length + 13);
  }

  /** {@code incoming} when sane, else a new id. */
  String resolve(String incoming) {
    return incoming != null && isSane(incoming) ? incoming : next();
  }

  /** The prefix and the counter in base 36, written into the scratch buffer: one String per id, no concatenation. */
  String next() {
    long value = counter++;
    int digits = 1;
    for (long rest = value / 36; rest > 0; rest /= 36) {
      digits++;
    }
    for (int i = prefixLength + digits - 1; i >= prefixLength; i--) {
      scratch[i] = (byte) Character.forDigit((int) (value % 36), 36);
      value /= 36;
    }
    return new String(scratch, 0, prefixLength + digits, StandardCharsets.ISO_8859_1);
  }

  /** 1 to 128 characters of {@code [A-Za-z0-9._-]}: safe to log, to echo and to put in JSON. */
  static boolean isSane(String id) {
    int length = id.length();
    if (length == 0 || length > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String processPrefix() {
    SecureRandom random = new SecureRandom();
    StringBuilder prefix = new StringBuilder(9);
    for (int i = 0; i < 8; i++) {
      prefix.append(Character.forDigit(random.nextInt(36), 36));
    }
    return prefix.append('-').toString();
  }
}
