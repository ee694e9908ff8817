package io.portico.grpc;

/**
 * The {@code grpc-timeout} header: 1 to 8 ASCII digits and a unit ({@code H}, {@code M},
 * {@code S}, {@code m}, {@code u}, {@code n}). Parsed into nanoseconds, and written back (reduced by
 * the time spent in the gateway) in the finest unit that keeps 8 digits.
 */
public final class GrpcTimeout {
  /** {@link #parse} of a header that is present but not a valid timeout. */
  public static final long INVALID = -2;
  /** {@link #parse} of an absent header. */
  public static final long ABSENT = -1;

  private static final long MAX_VALUE = 99_999_999L;
  private static final char[] UNITS = {'n', 'u', 'm', 'S', 'M', 'H'};
  private static final long[] NANOS = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L};

  private GrpcTimeout() {}

  /** The timeout in nanoseconds, {@link #ABSENT} for {@code null}, {@link #INVALID} when malformed. */
  public static long parse(String value) {
    if (value == null) {
      return ABSENT;
    }
    int digits = value.length() - 1;
    if (digits < 1 || digits > 8) {
      return INVALID;
    }
    long amount = 0;
    for (int i = 0; i < digits; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return INVALID;
      }
      amount = amount * 10 + (c - '0');
    }
    char unit = value.charAt(digits);
    for (int i = 0; i < UNITS.length; i++) {
      if (UNITS[i] == unit) {
        return saturatedMultiply(amount, NANOS[i]);
      }
    }
    return INVALID;
  }

  /** {@code nanos} (at least 1) as a header value: the finest unit in which it fits 8 digits. */
  public static String format(long nanos) {
    long value = Math.max(1, nanos);
    for (int i = 0; i < UNITS.length; i++) {
      long amount = ceilDiv(value, NANOS[i]);
      if (amount <= MAX_VALUE) {
        return Long.toString(amount) + UNITS[i];
      }
    }
    return MAX_VALUE + "H";
  }

  private static long ceilDiv(long value, long unit) {
    return value / unit + (value % unit == 0 ? 0 : 1);
  }

  private static long saturatedMultiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long product = a * b;
    return high != 0 || product < 0 ? Long.MAX_VALUE : product;
  }
}
