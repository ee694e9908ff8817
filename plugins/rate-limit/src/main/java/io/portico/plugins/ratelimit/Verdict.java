package io.portico.plugins.ratelimit;

import io.github.bucket4j.ConsumptionProbe;

/**
 * The outcome of taking one token: whether the request may pass, and what the {@code RateLimit-*}
 * headers say.
 *
 * @param limit the capacity of the bucket's first bandwidth
 * @param remaining tokens left after this request
 * @param resetSeconds seconds until the bucket is full again
 * @param retryAfterSeconds for a rejection: seconds until a token is available
 */
record Verdict(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {

  static Verdict of(ConsumptionProbe probe, long limit) {
    return new Verdict(probe.isConsumed(), limit, Math.max(0, probe.getRemainingTokens()),
        ceilSeconds(probe.getNanosToWaitForReset()), Math.max(1, ceilSeconds(probe.getNanosToWaitForRefill())));
  }

  private static long ceilSeconds(long nanos) {
    return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
  }
}
