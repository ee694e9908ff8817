package io.portico.balance;

/**
 * 64-bit hashing for consistent hashing: xxHash64's small-input round and final avalanche applied
 * to UTF-16 chars, four to a lane. Strings are hashed in place (a range of a header is hashed
 * without copying it out). Not compatible with other xxHash implementations, which hash bytes; it
 * only needs to be stable within this build and well spread.
 */
final class Hash64 {
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private Hash64() {}

  /** The hash of {@code text}. */
  static long of(CharSequence text) {
    return of(text, 0, text.length());
  }

  /** The hash of the chars {@code from} (inclusive) to {@code to} (exclusive) of {@code text}. */
  static long of(CharSequence text, int from, int to) {
    long h = P5 + (long) (to - from) * 2;
    int i = from;
    for (; i + 4 <= to; i += 4) {
      long lane = text.charAt(i)
          | (long) text.charAt(i + 1) << 16
          | (long) text.charAt(i + 2) << 32
          | (long) text.charAt(i + 3) << 48;
      h ^= Long.rotateLeft(lane * P2, 31) * P1;
      h = Long.rotateLeft(h, 27) * P1 + P4;
    }
    for (; i < to; i++) {
      h ^= text.charAt(i) * P5;
      h = Long.rotateLeft(h, 11) * P1;
    }
    return avalanche(h);
  }

  /** Mixes {@code seed} and {@code value} into a well spread hash (a ring point of an endpoint). */
  static long mix(long seed, long value) {
    return avalanche(seed ^ Long.rotateLeft(value * P2, 31) * P1 + P3);
  }

  private static long avalanche(long h) {
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }
}
