package io.portico.plugins.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import java.text.ParseException;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a compact JWS per RFC 8725: canonical base64url parts first ({@link CanonicalJws}), only
 * the configured algorithms, never {@code none}, the key type must fit the algorithm (no HMAC with
 * a public key), {@code jku}/{@code x5u}/{@code x5c}/{@code jwk} headers are ignored (no URL from a
 * token is ever fetched), unknown {@code crit} headers are refused; then issuer, audience, time,
 * required claims and scopes. Without a usable key set the answer is "unavailable", unless the
 * claims alone already make the token invalid.
 */
final class TokenVerifier {
  private final Map<String, Issuer> issuers;
  private final Set<JWSAlgorithm> algorithms;
  private final JwtAuthConfig config;
  private final long skewMillis;

  TokenVerifier(Map<String, Issuer> issuers, Set<JWSAlgorithm> algorithms, JwtAuthConfig config) {
    this.issuers = issuers;
    this.algorithms = algorithms;
    this.config = config;
    this.skewMillis = config.clockSkew().toMillis();
  }

  /**
   * Completes with a {@link VerifiedToken} or a {@link Rejection} ({@code UNAVAILABLE} when the
   * issuer has no usable key set); never fails.
   */
  Future<Object> verify(String token) {
    String malformed = CanonicalJws.problem(token);
    if (malformed != null) {
      return Future.succeededFuture(Rejection.invalid(malformed));
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      return Future.succeededFuture(Rejection.invalid("malformed token"));
    }
    JWSHeader header = jwt.getHeader();
    if (!algorithms.contains(header.getAlgorithm())) {
      return Future.succeededFuture(Rejection.invalid("algorithm not accepted"));
    }
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      return Future.succeededFuture(Rejection.invalid("unsupported critical header"));
    }
    Issuer issuer = claims.getIssuer() == null ? null : issuers.get(claims.getIssuer());
    if (issuer == null) {
      return Future.succeededFuture(Rejection.invalid("unknown issuer"));
    }
    JWSAlgorithm alg = header.getAlgorithm();
    if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
      byte[] secret = issuer.keys().secret();
      if (secret == null) {
        return Future.succeededFuture(Rejection.invalid("algorithm not accepted for this issuer"));
      }
      return Future.succeededFuture(check(jwt, claims, issuer, macVerifier(secret)));
    }
    JWKSet keys = issuer.keys().current();
    JWK key = keys == null ? null : pick(keys, header);
    if (key != null || (keys != null && header.getKeyID() == null)) {
      return Future.succeededFuture(withKey(jwt, claims, issuer, key));
    }
    return issuer.keys().refreshFor(header.getKeyID())
        .map(refreshed -> refreshed == null ? unverifiable(claims, issuer) : withKey(jwt, claims, issuer, pick(refreshed, header)));
  }

  /**
   * No usable key set: the signature cannot be checked yet, which is 503, not 401, unless the
   * claims alone already show the token is invalid (expired, wrong audience ...).
   */
  private Rejection unverifiable(JWTClaimsSet claims, Issuer issuer) {
    Rejection invalid = claimsProblem(claims, issuer);
    return invalid != null ? invalid : Rejection.unavailable(issuer.keys().retryAfterSeconds());
  }

  private Object withKey(SignedJWT jwt, JWTClaimsSet claims, Issuer issuer, JWK key) {
    JWSVerifier verifier = key == null ? null : verifierFor(key, jwt.getHeader().getAlgorithm());
    if (verifier == null) {
      return Rejection.invalid("no matching key");
    }
    return check(jwt, claims, issuer, verifier);
  }

  private static JWK pick(JWKSet keys, JWSHeader header) {
    String kid = header.getKeyID();
    if (kid != null) {
      return keys.getKeyByKeyId(kid);
    }
    List<JWK> all = keys.getKeys();
    return all.size() == 1 ? all.get(0) : null;
  }

  /** The verifier only when the key's type fits the algorithm's family. */
  private static JWSVerifier verifierFor(JWK key, JWSAlgorithm alg) {
    try {
      if (key instanceof RSAKey rsa && (JWSAlgorithm.Family.RSA.contains(alg))) {
        return new RSASSAVerifier(rsa);
      }
      if (key instanceof ECKey ec && JWSAlgorithm.Family.EC.contains(alg)
          && ECDSAVerifier.SUPPORTED_ALGORITHMS.contains(alg) && ec.getCurve() != null
          && com.nimbusds.jose.jwk.Curve.forJWSAlgorithm(alg).contains(ec.getCurve())) {
        return new ECDSAVerifier(ec);
      }
    } catch (JOSEException e) {
      return null;
    }
    return null;
  }

  private static JWSVerifier macVerifier(byte[] secret) {
    try {
      return new MACVerifier(secret);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private Object check(SignedJWT jwt, JWTClaimsSet claims, Issuer issuer, JWSVerifier verifier) {
    try {
      if (!jwt.verify(verifier)) {
        return Rejection.invalid("bad signature");
      }
    } catch (JOSEException | RuntimeException e) {
      return Rejection.invalid("bad signature");
    }
    Rejection invalid = claimsProblem(claims, issuer);
    if (invalid != null) {
      return invalid;
    }
    Date exp = claims.getExpirationTime();
    Date nbf = claims.getNotBeforeTime();
    if (!config.scopes().isEmpty() && !Scopes.granted(claims).containsAll(config.scopes())) {
      return Rejection.scope("requires scope " + String.join(" ", config.scopes()));
    }
    Map<String, String> headers = new HashMap<>();
    config.claimsToHeaders().forEach((claim, header) -> {
      String value = asText(claims.getClaim(claim));
      if (value != null) {
        headers.put(header, value);
      }
    });
    return new VerifiedToken(asText(claims.getClaim(config.consumerClaim())), Map.copyOf(headers),
        nbf == null ? 0 : nbf.getTime() - skewMillis, exp == null ? Long.MAX_VALUE : exp.getTime() + skewMillis);
  }

  /** Time, audience and required claims: what makes a token invalid whatever its signature. */
  private Rejection claimsProblem(JWTClaimsSet claims, Issuer issuer) {
    long now = System.currentTimeMillis();
    Date exp = claims.getExpirationTime();
    if (exp == null && config.requireExp()) {
      return Rejection.invalid("token has no expiry");
    }
    if (exp != null && exp.getTime() + skewMillis < now) {
      return Rejection.invalid("token expired");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.getTime() - skewMillis > now) {
      return Rejection.invalid("token not yet valid");
    }
    if (!issuer.audiences().isEmpty() && (claims.getAudience() == null
        || claims.getAudience().stream().noneMatch(issuer.audiences()::contains))) {
      return Rejection.invalid("wrong audience");
    }
    for (String claim : config.requiredClaims()) {
      if (claims.getClaim(claim) == null) {
        return Rejection.invalid("missing claim " + claim);
      }
    }
    return null;
  }

  private static String asText(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Collection<?> values) {
      return String.join(",", values.stream().map(String::valueOf).toList());
    }
    if (value instanceof Date date) {
      return Long.toString(date.getTime() / 1000);
    }
    String text = value.toString();
    // a claim must not smuggle a header line break
    return text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0 ? null : text;
  }
}
