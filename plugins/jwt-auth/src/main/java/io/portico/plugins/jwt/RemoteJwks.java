package io.portico.plugins.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An issuer's JWKS, fetched with the Vert.x WebClient (never a blocking client), kept as an
 * immutable set that every event loop reads. Refreshed on the IdP's {@code Cache-Control} max-age
 * or the configured interval; failed fetches are retried with backoff (1 s doubling, at most
 * 10 s or {@code jwks-refresh}); an unknown key id triggers at most one refetch per cool-down,
 * shared by everyone asking meanwhile; on failures the last good set keeps serving up to
 * {@code jwks-max-age}. With a {@link JwksCacheFile} the last good set survives a restart.
 *
 * <p>While no usable set is had (never fetched, none cached, or older than the maximum age) tokens
 * of this issuer cannot be checked: {@link #refreshFor} then completes with {@code null} at once
 * (after the start, which waits for the cache and the first fetch) and the plugin answers 503.
 */
final class RemoteJwks implements KeySource {
  private static final Logger log = LoggerFactory.getLogger(RemoteJwks.class);
  private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");
  private static final long MAX_RETRY_MILLIS = 10_000;

  private record Snapshot(JWKSet keys, long fetchedAtMillis, boolean fromCache) {}

  private final Vertx vertx;
  private final WebClient client;
  private final String uri;
  private final Duration refresh;
  private final long maxAgeMillis;
  private final long cooldownMillis;
  private final JwksCacheFile cache;
  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
  private final AtomicReference<Future<JWKSet>> inFlight = new AtomicReference<>();
  private final Promise<Void> firstKeys = Promise.promise();
  private final Promise<Void> cacheRead = Promise.promise();
  private final Promise<Void> firstAttempt = Promise.promise();
  /** Completes once the start is over: keys are had, or the cache and the first fetch both gave none. */
  private final Future<Void> started;
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicLong lastOnDemandFetch = new AtomicLong(Long.MIN_VALUE / 2);
  private final Object onDemand = new Object();
  private final AtomicBoolean staleReported = new AtomicBoolean();
  private final Counter fetchedOk;
  private final Counter fetchFailed;
  private volatile long nextAttemptAtMillis;
  private long timer = -1; // guarded by this
  private boolean closed; // guarded by this

  RemoteJwks(Vertx vertx, String uri, JwtAuthConfig config, JwksCacheFile cache, MeterRegistry meters, String route) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.uri = uri;
    this.refresh = config.jwksRefresh();
    this.maxAgeMillis = config.jwksMaxAge().toMillis();
    this.cooldownMillis = config.unknownKidCooldown().toMillis();
    this.cache = cache;
    this.fetchedOk = Counter.builder("portico.jwt.jwks.fetches").description("JWKS fetches by result").tag("route", route).tag("jwks", uri).tag("result", "success").register(meters);
    this.fetchFailed = Counter.builder("portico.jwt.jwks.fetches").description("JWKS fetches by result").tag("route", route).tag("jwks", uri).tag("result", "failure").register(meters);
    Gauge.builder("portico.jwt.jwks.age", this, RemoteJwks::ageSeconds).description("age of the key set in use").baseUnit("seconds")
        .tag("route", route).tag("jwks", uri).register(meters);
    this.started = Future.any(Future.all(cacheRead.future(), firstAttempt.future()), firstKeys.future()).mapEmpty();
    loadCache();
    // the cache first (a small local read): the first fetch's outcome is then judged knowing it
    cacheRead.future().onComplete(read -> fetch().onComplete(ar -> firstAttempt.tryComplete()));
  }

  private double ageSeconds() {
    Snapshot s = snapshot.get();
    return s == null ? -1 : (System.currentTimeMillis() - s.fetchedAtMillis()) / 1000.0;
  }

  private void loadCache() {
    if (cache == null) {
      cacheRead.complete();
      return;
    }
    cache.load().onComplete(ar -> {
      if (ar.failed()) {
        log.warn("JWKS cache {} is not used: {}", cache.path(), ar.cause().getMessage());
      } else if (ar.result() == null) {
        log.info("JWKS cache {} does not exist yet; it is written at the first successful fetch", cache.path());
      } else {
        JwksCacheFile.Entry entry = ar.result();
        long age = System.currentTimeMillis() - entry.writtenAtMillis();
        if (age > maxAgeMillis) {
          log.warn("JWKS cache {} is older than jwks-max-age ({} s); not used", cache.path(), age / 1000);
        } else if (snapshot.compareAndSet(null, new Snapshot(entry.keys(), entry.writtenAtMillis(), true))) {
          log.info("JWKS {}: serving the key set cached in {} ({} s old) until the IdP answers", uri, cache.path(), age / 1000);
          firstKeys.tryComplete();
        }
      }
      cacheRead.complete();
    });
  }

  /** One fetch at a time: concurrent callers share it. Each outcome schedules the next attempt. */
  private Future<JWKSet> fetch() {
    Promise<JWKSet> mine = Promise.promise();
    Future<JWKSet> running = inFlight.compareAndExchange(null, mine.future());
    if (running != null) {
      return running;
    }
    client.getAbs(uri).timeout(5000).send().onComplete(ar -> {
      String failure;
      if (ar.succeeded() && ar.result().statusCode() == 200) {
        try {
          JWKSet keys = JWKSet.parse(ar.result().bodyAsString()).toPublicJWKSet();
          fetched(keys, ar.result());
          inFlight.set(null);
          mine.complete(keys);
          return;
        } catch (java.text.ParseException | RuntimeException e) {
          failure = "not a JWK set: " + e.getMessage();
        }
      } else {
        failure = ar.succeeded() ? "HTTP " + ar.result().statusCode() : String.valueOf(ar.cause().getMessage());
      }
      failed(failure);
      inFlight.set(null);
      mine.fail(failure);
    });
    return mine.future();
  }

  private void fetched(JWKSet keys, HttpResponse<Buffer> response) {
    snapshot.set(new Snapshot(keys, System.currentTimeMillis(), false));
    fetchedOk.increment();
    int failed = failures.getAndSet(0);
    if (failed > 0) {
      log.info("JWKS {} fetched again after {} failed attempt(s)", uri, failed);
    }
    staleReported.set(false);
    firstKeys.tryComplete();
    if (cache != null) {
      cache.store(keys);
    }
    schedule(refreshDelay(response));
  }

  /** Logs once per transition (first failure, set going stale), not once per attempt. */
  private void failed(String reason) {
    fetchFailed.increment();
    int failed = failures.incrementAndGet();
    Snapshot s = snapshot.get();
    if (failed == 1) {
      if (s == null) {
        log.warn("fetching JWKS {} failed ({}): no key set yet, tokens of this issuer get 503 jwks_unavailable "
            + "until one is fetched; retrying with backoff", uri, reason);
      } else {
        log.warn("fetching JWKS {} failed ({}): the last good key set ({} s old) keeps serving up to jwks-max-age; "
            + "retrying with backoff", uri, reason, (System.currentTimeMillis() - s.fetchedAtMillis()) / 1000);
      }
    } else {
      log.debug("fetching JWKS {} failed again ({}), attempt {}", uri, reason, failed);
    }
    if (s != null && tooOld(s) && staleReported.compareAndSet(false, true)) {
      log.warn("JWKS {}: the last good key set is older than jwks-max-age; tokens of this issuer get 503 "
          + "jwks_unavailable until one is fetched", uri);
    }
    schedule(backoff(failed));
  }

  private long refreshDelay(HttpResponse<Buffer> response) {
    String cacheControl = response.getHeader("Cache-Control");
    if (cacheControl != null) {
      Matcher m = MAX_AGE.matcher(cacheControl);
      if (m.find()) {
        try {
          return Math.max(1000, Math.multiplyExact(Long.parseLong(m.group(1)), 1000L));
        } catch (ArithmeticException | NumberFormatException e) {
          return refresh.toMillis();
        }
      }
    }
    return refresh.toMillis();
  }

  /** 1 s, 2 s, 4 s ... up to 10 s (or {@code jwks-refresh} when shorter). */
  private long backoff(int failed) {
    long cap = Math.min(refresh.toMillis(), MAX_RETRY_MILLIS);
    return Math.max(1, Math.min(cap, 1000L << Math.min(failed - 1, 20)));
  }

  private synchronized void schedule(long delayMillis) {
    if (closed) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    nextAttemptAtMillis = System.currentTimeMillis() + delayMillis;
    timer = vertx.setTimer(delayMillis, id -> fetch());
  }

  private boolean tooOld(Snapshot s) {
    return System.currentTimeMillis() - s.fetchedAtMillis() > maxAgeMillis;
  }

  @Override
  public JWKSet current() {
    Snapshot s = snapshot.get();
    return s == null || tooOld(s) ? null : s.keys();
  }

  @Override
  public Future<JWKSet> refreshFor(String kid) {
    if (!started.isComplete()) { // requests of the start wait for the cache and the first fetch
      return started.map(v -> current());
    }
    if (current() == null) {
      // nothing to check tokens with: answer at once (503) rather than hold requests on an IdP
      // that may hang; ask it now if the cool-down allows, so recovery need not wait for the timer
      if (onDemandAllowed()) {
        fetch();
      }
      return Future.succeededFuture(null);
    }
    Future<JWKSet> fetching;
    boolean mine = false;
    // The cool-down check and the fetch it allows are one step: a token of the same new key on
    // another event loop, arriving between the two, would find neither a fetch to wait for nor
    // the cool-down's permission, and be refused with the old key set.
    synchronized (onDemand) {
      fetching = inFlight.get();
      if (fetching == null) {
        if (!onDemandAllowed()) {
          return Future.succeededFuture(current());
        }
        fetching = fetch();
        mine = true;
      }
    }
    if (mine) {
      log.info("JWKS {}: unknown key id \"{}\", fetching again", uri, kid);
    }
    return fetching.recover(e -> Future.succeededFuture(current()));
  }

  private boolean onDemandAllowed() {
    long now = System.currentTimeMillis();
    long last = lastOnDemandFetch.get();
    return now - last >= cooldownMillis && lastOnDemandFetch.compareAndSet(last, now);
  }

  @Override
  public long retryAfterSeconds() {
    long millis = nextAttemptAtMillis - System.currentTimeMillis();
    return Math.max(1, (millis + 999) / 1000);
  }

  @Override
  public Map<String, Object> status() {
    Snapshot s = snapshot.get();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("jwks_uri", uri);
    status.put("keys", s == null ? "none" : tooOld(s) ? "expired" : s.fromCache() ? "cached" : "fetched");
    if (s != null) {
      status.put("age_seconds", (System.currentTimeMillis() - s.fetchedAtMillis()) / 1000);
    }
    int failed = failures.get();
    if (failed > 0) {
      status.put("failed_attempts", failed);
      status.put("next_attempt_in_seconds", retryAfterSeconds());
    }
    return status;
  }

  @Override
  public Future<Void> ready() {
    return firstKeys.future();
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
    client.close();
  }
}
