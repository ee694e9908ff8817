package io.portico.plugins.jwt;

/**
 * Why a token was not admitted: {@code invalid_token} (401), {@code insufficient_scope} (403), or
 * {@code jwks_unavailable} (503: the token cannot be checked yet because the issuer's key set was
 * never had or is older than {@code jwks-max-age}), with a description for the answer. Never
 * carries token content.
 *
 * @param retryAfterSeconds for {@link Kind#UNAVAILABLE}: when the next key fetch is due, else 0
 */
record Rejection(Kind kind, String description, long retryAfterSeconds) {

  enum Kind { INVALID, INSUFFICIENT_SCOPE, UNAVAILABLE }

  static Rejection invalid(String description) {
    return new Rejection(Kind.INVALID, description, 0);
  }

  static Rejection scope(String description) {
    return new Rejection(Kind.INSUFFICIENT_SCOPE, description, 0);
  }

  static Rejection unavailable(long retryAfterSeconds) {
    return new Rejection(Kind.UNAVAILABLE, "the issuer's signing keys are not available yet", Math.max(1, retryAfterSeconds));
  }
}
