package io.portico.plugins.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.Counter;
import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.Plugin;
import io.portico.spi.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Authenticates each request by its bearer token. Verified tokens are cached until their expiry,
 * so a repeated token costs a hash lookup instead of a signature check.
 */
final class JwtAuthPlugin implements Plugin {
  private static final String REALM = "Bearer realm=\"portico\"";
  private static final Reply MISSING = Reply.error(401, "missing_token", "a bearer token is required")
      .withHeader("WWW-Authenticate", REALM);
  private static final Reply TWO_CREDENTIALS = Reply.error(400, "invalid_request", "more than one credential")
      .withHeader("WWW-Authenticate", REALM + ", error=\"invalid_request\", error_description=\"more than one credential\"");

  private final JwtAuthConfig config;
  private final TokenVerifier verifier;
  private final List<KeySource> sources;
  private final Cache<TokenKey, VerifiedToken> verified;
  private final Counter accepted;
  private final Counter refused;
  private final Counter unavailable;

  JwtAuthPlugin(JwtAuthConfig config, TokenVerifier verifier, List<KeySource> sources, Counter accepted, Counter refused,
      Counter unavailable) {
    this.config = config;
    this.verifier = verifier;
    this.sources = sources;
    this.accepted = accepted;
    this.refused = refused;
    this.unavailable = unavailable;
    // Maintenance (replaying reads for eviction, expiring) runs on the reading event loop, like the
    // rate limiter's buckets: the default hands it to the common pool every few reads, waking one
    // of its threads each time, and on two cores those wake-ups cost more than the work.
    this.verified = Caffeine.newBuilder()
        .executor(Runnable::run)
        .maximumSize(config.cacheSize())
        .expireAfter(new Expiry<TokenKey, VerifiedToken>() {
          @Override
          public long expireAfterCreate(TokenKey key, VerifiedToken token, long now) {
            long millis = token.expiresAtMillis() - System.currentTimeMillis();
            return TimeUnit.MILLISECONDS.toNanos(Math.max(0, Math.min(millis, TimeUnit.DAYS.toMillis(1))));
          }

          @Override
          public long expireAfterUpdate(TokenKey key, VerifiedToken token, long now, long current) {
            return current;
          }

          @Override
          public long expireAfterRead(TokenKey key, VerifiedToken token, long now, long current) {
            return current;
          }
        })
        .build();
  }

  @Override
  public Future<Decision> onRequest(Exchange exchange) {
    MultiMap headers = exchange.requestHeaders();
    if (!config.claimsToHeaders().isEmpty()) {
      config.claimsToHeaders().values().forEach(headers::remove); // never trust the client's copies
    }
    List<String> authorizations = TokenExtractor.authorizations(exchange);
    if (TokenExtractor.count(exchange, config, authorizations) > 1) {
      return refuse(TWO_CREDENTIALS); // one would be verified, the other forwarded unchecked
    }
    // The cache key: with the default carrier the Authorization value as received when the token
    // is all that follows "Bearer " (the usual case), so a cache hit copies nothing out of it;
    // otherwise the token itself. Only verified tokens are cached, and a verified token is a
    // compact JWS without spaces, so the two kinds of key cannot stand for different tokens.
    String bearer = TokenExtractor.plainBearer(authorizations, config);
    String credential = bearer != null ? bearer : TokenExtractor.extract(exchange, config);
    if (credential == null) {
      return anonymousAllowed(exchange.path()) ? Decision.next().asFuture() : refuse(MISSING);
    }
    int tokenLength = bearer != null ? bearer.length() - TokenExtractor.BEARER_PREFIX : credential.length();
    if (tokenLength > config.maxTokenSize()) {
      return refuse(invalid(Rejection.invalid("token too large")));
    }
    TokenKey key = new TokenKey(credential);
    VerifiedToken cached = verified.getIfPresent(key);
    if (cached != null && cached.notBeforeMillis() <= System.currentTimeMillis()) {
      return admit(exchange, cached);
    }
    String token = bearer != null ? bearer.substring(TokenExtractor.BEARER_PREFIX) : credential;
    return onLoop(exchange, verifier.verify(token)).map(outcome -> {
      if (outcome instanceof VerifiedToken ok) {
        verified.put(key, ok);
        return admitNow(exchange, ok);
      }
      Rejection rejection = (Rejection) outcome;
      if (rejection.kind() == Rejection.Kind.UNAVAILABLE) {
        unavailable.increment();
        return unavailable(rejection);
      }
      refused.increment();
      return invalid(rejection);
    });
  }

  /**
   * A verification that waited for a key fetch completes on the fetch's thread: come back to the
   * exchange's event loop before touching the exchange.
   */
  private static Future<Object> onLoop(Exchange exchange, Future<Object> outcome) {
    if (outcome.isComplete()) {
      return outcome;
    }
    Promise<Object> back = Promise.promise();
    outcome.onComplete(ar -> exchange.context().runOnContext(v -> back.handle(ar)));
    return back.future();
  }

  private boolean anonymousAllowed(String path) {
    for (String prefix : config.anonymousPaths()) {
      if (path.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private Future<Decision> admit(Exchange exchange, VerifiedToken token) {
    return admitNow(exchange, token).asFuture(); // Decision.next(): one shared completed future
  }

  private Decision admitNow(Exchange exchange, VerifiedToken token) {
    accepted.increment();
    if (token.consumer() != null) {
      exchange.setConsumer(token.consumer());
    }
    if (!token.headers().isEmpty()) {
      token.headers().forEach(exchange.requestHeaders()::set);
    }
    if (config.stripCredential()) {
      TokenExtractor.strip(exchange, config);
    }
    return Decision.next();
  }

  private Future<Decision> refuse(Reply reply) {
    refused.increment();
    return reply.asFuture();
  }

  private static Reply invalid(Rejection rejection) {
    boolean scope = rejection.kind() == Rejection.Kind.INSUFFICIENT_SCOPE;
    String error = scope ? "insufficient_scope" : "invalid_token";
    String challenge = REALM + ", error=\"" + error + "\", error_description=\"" + rejection.description() + "\"";
    return Reply.error(scope ? 403 : 401, error, rejection.description())
        .withHeader("WWW-Authenticate", challenge);
  }

  /** The token may well be valid: say so with a 503 a client retries, never a 401 that ends its session. */
  private static Reply unavailable(Rejection rejection) {
    return Reply.error(503, "jwks_unavailable", rejection.description())
        .withHeader("Retry-After", Long.toString(rejection.retryAfterSeconds()))
        .withHeader("WWW-Authenticate", REALM);
  }

  /** Each issuer's key set (for JWKS sources: where from, how old, failing or not). */
  @Override
  public Map<String, Object> status() {
    List<Map<String, Object>> keys = sources.stream().map(KeySource::status).filter(m -> !m.isEmpty()).toList();
    return keys.isEmpty() ? Map.of() : Map.of("jwks", keys);
  }

  @Override
  public Future<Void> warmUp() {
    return Future.all(sources.stream().map(KeySource::ready).toList()).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    sources.forEach(KeySource::close);
    return Future.succeededFuture();
  }
}
