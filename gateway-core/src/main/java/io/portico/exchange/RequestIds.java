package io.portico.exchange;

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

  private final String prefix;
  private long counter;

  RequestIds(int loop) {
    this.prefix = PROCESS_PREFIX + Integer.toString(loop, 36) + '-';
  }

  /** {@code incoming} when sane, else a new id. */
  String resolve(String incoming) {
    return incoming != null && isSane(incoming) ? incoming : next();
  }

  String next() {
    return prefix + Long.toString(counter++, 36);
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
