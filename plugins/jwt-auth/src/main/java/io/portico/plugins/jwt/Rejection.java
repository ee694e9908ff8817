package io.portico.plugins.jwt;

/**
 * Why a token was refused: {@code invalid_token} (401) or {@code insufficient_scope} (403), with a
 * description for {@code WWW-Authenticate}. Never carries token content.
 */
record Rejection(boolean insufficientScope, String description) {
  static Rejection invalid(String description) {
    return new Rejection(false, description);
  }

  static Rejection scope(String description) {
    return new Rejection(true, description);
  }
}
