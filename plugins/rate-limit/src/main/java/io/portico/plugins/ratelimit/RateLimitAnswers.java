package io.portico.plugins.ratelimit;

import io.portico.spi.Decision;
import io.portico.spi.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * What the client sees: the {@code RateLimit-*} headers and {@code Retry-After}, and the two
 * rejections. The replies are built once; the per-request headers go to the exchange's additional
 * response headers, which the gateway puts on whatever answer is sent.
 */
final class RateLimitAnswers {
  // pre-encoded names: the gateway's header maps hash and compare them without re-encoding
  static final CharSequence LIMIT = HttpHeaders.createOptimized("RateLimit-Limit");
  static final CharSequence REMAINING = HttpHeaders.createOptimized("RateLimit-Remaining");
  static final CharSequence RESET = HttpHeaders.createOptimized("RateLimit-Reset");
  static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("Retry-After");

  /** The bucket is empty. */
  static final Future<Decision> RATE_LIMITED =
      Reply.error(429, "rate_limited", "rate limit exceeded").asFuture();
  /** The shared store is unreachable and {@code on-store-failure: deny}. */
  static final Future<Decision> UNAVAILABLE =
      Reply.error(503, "rate_limit_unavailable", "rate limits cannot be checked right now")
          .withHeader("Retry-After", "1").asFuture();

  private RateLimitAnswers() {}

  /** Headers of an allowed request. */
  static void allowed(MultiMap headers, Verdict verdict) {
    headers.set(LIMIT, verdict.limit());
    headers.set(REMAINING, Long.toString(verdict.remaining()));
    headers.set(RESET, Long.toString(verdict.resetSeconds()));
  }

  /** Headers of a rejected request: {@code Retry-After} always, {@code RateLimit-*} when wanted. */
  static void rejected(MultiMap headers, Verdict verdict, boolean rateLimitHeaders) {
    String retryAfter = Long.toString(verdict.retryAfterSeconds());
    headers.set(RETRY_AFTER, retryAfter);
    if (rateLimitHeaders) {
      headers.set(LIMIT, verdict.limit());
      headers.set(REMAINING, "0");
      headers.set(RESET, Long.toString(Math.max(verdict.retryAfterSeconds(), verdict.resetSeconds())));
    }
  }
}
