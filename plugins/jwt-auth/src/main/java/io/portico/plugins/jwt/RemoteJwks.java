package io.portico.plugins.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An issuer's JWKS, fetched with the Vert.x WebClient (never a blocking client), kept as an
 * immutable set that every event loop reads. Refreshed on the IdP's {@code Cache-Control} max-age
 * or the configured interval; an unknown key id triggers at most one refetch per cool-down, shared
 * by everyone asking meanwhile; on failures the last good set keeps serving up to its maximum age.
 */
final class RemoteJwks implements KeySource {
  private static final Logger log = LoggerFactory.getLogger(RemoteJwks.class);
  private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");

  private record Snapshot(JWKSet keys, long fetchedAtMillis) {}

  private final Vertx vertx;
  private final WebClient client;
  private final String uri;
  private final Duration refresh;
  private final Duration maxAge;
  private final long cooldownMillis;
  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
  private final AtomicReference<Future<JWKSet>> inFlight = new AtomicReference<>();
  private final Promise<Void> firstFetch = Promise.promise();
  private final Counter fetchedOk;
  private final Counter fetchFailed;
  private volatile long lastUnknownKidFetch;
  private volatile long timer = -1;
  private volatile boolean closed;

  RemoteJwks(Vertx vertx, String uri, JwtAuthConfig config, MeterRegistry meters, String route) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.uri = uri;
    this.refresh = config.jwksRefresh();
    this.maxAge = config.jwksMaxAge();
    this.cooldownMillis = config.unknownKidCooldown().toMillis();
    this.fetchedOk = Counter.builder("portico.jwt.jwks.fetches").description("JWKS fetches by result").tag("route", route).tag("jwks", uri).tag("result", "success").register(meters);
    this.fetchFailed = Counter.builder("portico.jwt.jwks.fetches").description("JWKS fetches by result").tag("route", route).tag("jwks", uri).tag("result", "failure").register(meters);
    Gauge.builder("portico.jwt.jwks.age", this, RemoteJwks::ageSeconds).description("age of the key set in use").baseUnit("seconds")
        .tag("route", route).tag("jwks", uri).register(meters);
    fetchUntilFirstSuccess();
  }

  private double ageSeconds() {
    Snapshot s = snapshot.get();
    return s == null ? -1 : (System.currentTimeMillis() - s.fetchedAtMillis()) / 1000.0;
  }

  private void fetchUntilFirstSuccess() {
    fetch().onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.succeeded()) {
        firstFetch.tryComplete();
      } else {
        timer = vertx.setTimer(1000, id -> fetchUntilFirstSuccess());
      }
    });
  }

  /** One fetch at a time: concurrent callers share it. */
  private Future<JWKSet> fetch() {
    Promise<JWKSet> mine = Promise.promise();
    Future<JWKSet> running = inFlight.compareAndExchange(null, mine.future());
    if (running != null) {
      return running;
    }
    client.getAbs(uri).timeout(5000).send().onComplete(ar -> {
      inFlight.set(null);
      if (ar.succeeded() && ar.result().statusCode() == 200) {
        try {
          JWKSet keys = JWKSet.parse(ar.result().bodyAsString()).toPublicJWKSet();
          snapshot.set(new Snapshot(keys, System.currentTimeMillis()));
          fetchedOk.increment();
          scheduleRefresh(ar.result());
          mine.complete(keys);
          return;
        } catch (java.text.ParseException e) {
          log.warn("JWKS {} is not a JWK set: {}", uri, e.getMessage());
        }
      } else {
        log.warn("fetching JWKS {} failed: {}", uri, ar.succeeded() ? "HTTP " + ar.result().statusCode() : ar.cause().getMessage());
      }
      fetchFailed.increment();
      mine.fail("JWKS fetch failed");
    });
    return mine.future();
  }

  private void scheduleRefresh(HttpResponse<Buffer> response) {
    if (closed) {
      return;
    }
    long delay = refresh.toMillis();
    String cacheControl = response.getHeader("Cache-Control");
    if (cacheControl != null) {
      Matcher m = MAX_AGE.matcher(cacheControl);
      if (m.find()) {
        delay = Math.max(1000, Long.parseLong(m.group(1)) * 1000);
      }
    }
    long previous = timer;
    if (previous >= 0) {
      vertx.cancelTimer(previous);
    }
    timer = vertx.setTimer(delay, id -> fetch().onFailure(e -> scheduleRetry()));
  }

  private void scheduleRetry() {
    if (!closed) {
      timer = vertx.setTimer(Math.min(refresh.toMillis(), 10_000), id -> fetch().onFailure(e -> scheduleRetry()));
    }
  }

  @Override
  public JWKSet current() {
    Snapshot s = snapshot.get();
    if (s == null || System.currentTimeMillis() - s.fetchedAtMillis() > maxAge.toMillis()) {
      return null; // too old to trust
    }
    return s.keys();
  }

  @Override
  public Future<JWKSet> refreshFor(String kid) {
    long now = System.currentTimeMillis();
    Future<JWKSet> running = inFlight.get();
    if (running != null) {
      return running.recover(e -> Future.succeededFuture(current()));
    }
    if (now - lastUnknownKidFetch < cooldownMillis) {
      return Future.succeededFuture(current());
    }
    lastUnknownKidFetch = now;
    log.info("JWKS {}: unknown key id \"{}\", fetching again", uri, kid);
    return fetch().recover(e -> Future.succeededFuture(current()));
  }

  @Override
  public Future<Void> ready() {
    return firstFetch.future();
  }

  @Override
  public void close() {
    closed = true;
    long id = timer;
    if (id >= 0) {
      vertx.cancelTimer(id);
    }
    client.close();
  }
}
