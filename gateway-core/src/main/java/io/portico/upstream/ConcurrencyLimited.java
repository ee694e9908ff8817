package io.portico.upstream;

/**
 * A try refused because its upstream's adaptive concurrency limit was reached (and its queue was
 * full, or the wait in it timed out). Answered {@code 503 concurrency_limited} with
 * {@code Retry-After}; says nothing about any endpoint. One shared instance without a stack trace:
 * it is thrown under load, where a trace per refusal would cost the most.
 */
public final class ConcurrencyLimited extends RuntimeException {
  public static final ConcurrencyLimited INSTANCE = new ConcurrencyLimited();

  private ConcurrencyLimited() {
    super("the upstream's concurrency limit is reached", null, false, false);
  }
}
