package io.portico.plugins.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;

/** Where an issuer's verification keys come from. Implementations are thread-safe. */
interface KeySource {

  /** The current key set (immutable), or {@code null} when none is usable. */
  JWKSet current();

  /**
   * A key id the current set lacks was seen: fetch again if allowed (at most once per cool-down,
   * shared by concurrent callers). Completes with the set to retry with.
   */
  default Future<JWKSet> refreshFor(String kid) {
    return Future.succeededFuture(current());
  }

  /** Completes once keys are available. */
  default Future<Void> ready() {
    return Future.succeededFuture();
  }

  default void close() {}

  /** The HMAC secret for HS* algorithms, or {@code null}. */
  default byte[] secret() {
    return null;
  }
}
