package io.portico.plugins.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;
import java.util.Map;

/** Where an issuer's verification keys come from. Implementations are thread-safe. */
interface KeySource {

  /**
   * The current key set (immutable), or {@code null} when none is usable: never had, or older
   * than {@code jwks-max-age}. A token that needs keys is then answered 503, not 401.
   */
  JWKSet current();

  /**
   * A key id the current set lacks was seen ({@code kid} may be {@code null}): fetch again if
   * allowed (at most once per cool-down, shared by concurrent callers). Completes with the set to
   * retry with, or {@code null} when no usable set is had.
   */
  default Future<JWKSet> refreshFor(String kid) {
    return Future.succeededFuture(current());
  }

  /** Seconds until the next attempt to obtain keys, for {@code Retry-After} while none is usable. */
  default long retryAfterSeconds() {
    return 1;
  }

  /** Completes once keys are available. */
  default Future<Void> ready() {
    return Future.succeededFuture();
  }

  /** State worth showing at {@code /admin/routes}; empty for keys known at load. Cheap, thread-safe. */
  default Map<String, Object> status() {
    return Map.of();
  }

  default void close() {}

  /** The HMAC secret for HS* algorithms, or {@code null}. */
  default byte[] secret() {
    return null;
  }
}
