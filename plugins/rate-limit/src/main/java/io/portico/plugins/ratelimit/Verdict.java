package io.portico.plugins.ratelimit;

import io.github.bucket4j.ConsumptionProbe;

/**
 * The outcome of asking for one token, and what the {@code RateLimit-*} headers say about it.
 *
 * @param outcome what happened
 * @param limit the {@code RateLimit-Limit} value
 * @param remaining tokens left after this request
 * @param resetSeconds seconds until the bucket is full again
 * @param retryAfterSeconds for a rejection: seconds until a token is back, at least 1
 */
record Verdict(Outcome outcome, String limit, long remaining, long resetSeconds, long retryAfterSeconds) {

  /** What happened to the request. */
  enum Outcome {
    /** A token was taken. */
    ALLOWED,
    /** The bucket is empty. */
    REJECTED,
    /** The shared store is unreachable and {@code on-store-failure: allow}. */
    UNCHECKED_ALLOWED,
    /** The shared store is unreachable and {@code on-store-failure: deny}. */
    UNCHECKED_DENIED
  }

  static final Verdict UNCHECKED_ALLOW = new Verdict(Outcome.UNCHECKED_ALLOWED, null, 0, 0, 0);
  static final Verdict UNCHECKED_DENY = new Verdict(Outcome.UNCHECKED_DENIED, null, 0, 0, 1);

  static Verdict of(ConsumptionProbe probe, Limits limits) {
    boolean consumed = probe.isConsumed();
    return new Verdict(consumed ? Outcome.ALLOWED : Outcome.REJECTED, limits.limitHeader(),
        Math.max(0, probe.getRemainingTokens()), ceilSeconds(probe.getNanosToWaitForReset()),
        consumed ? 0 : Math.max(1, ceilSeconds(probe.getNanosToWaitForRefill())));
  }

  /** Seconds, rounded up: a client that waits that long finds the token there. */
  static long ceilSeconds(long nanos) {
    return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
  }
}
