package io.portico.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portico.balance.BalancerFactory;
import io.portico.config.OutlierConfig;
import io.portico.config.UpstreamConfig;
import io.portico.grpc.GrpcStatus;
import io.portico.endpoint.EndpointSet;
import io.portico.endpoint.EndpointState;
import io.portico.spi.Endpoint;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of one upstream's endpoints and the endpoint set built from it. Discovery, active
 * checks and outlier detection report here; every change of who serves publishes a new immutable
 * {@link EndpointSet}. Transitions are rare and serialised on this object; the request path only
 * counts failures on the endpoint's own state and calls in when a count crosses the threshold.
 *
 * <p>Serving: ready, passing active checks, not ejected. With a panic threshold, when fewer
 * endpoints than that share would serve, all ready endpoints serve regardless of health.
 */
public final class UpstreamHealth {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamHealth.class);
  /** Weights are scaled by this during slow start so that a ramp has steps below one weight unit. */
  static final int SLOW_START_SCALE = 10;

  private final String upstream;
  private final OutlierConfig outlier;
  /** {@code outlier.statuses} unboxed: read on every answer. */
  private final int[] failureStatuses;
  /** {@code outlier.grpc-statuses}: bit {@code 1 << code} for each gRPC status that counts as a failure. */
  private final int grpcFailures;
  private final int panicThreshold;
  private final long slowStartNanos;
  private final BalancerFactory balancer;
  private final int loops;
  private final Vertx vertx;
  private final Consumer<EndpointSet> sink;
  private final Counter ejections;
  private final java.util.concurrent.atomic.AtomicReference<UpstreamHealth> gauges;
  private Map<String, EndpointState> states = Map.of();
  private List<Endpoint> endpoints = List.of();
  private volatile EndpointSet current;
  private volatile boolean panic;
  private boolean closed;
  private long rampTimer = -1;

  public UpstreamHealth(UpstreamConfig config, BalancerFactory balancer, int loops, Vertx vertx,
      MeterRegistry registry, Consumer<EndpointSet> sink) {
    this.upstream = config.name();
    this.outlier = config.outlier();
    this.failureStatuses = outlier.statuses().stream().mapToInt(Integer::intValue).toArray();
    this.grpcFailures = outlier.grpcStatuses().stream().map(GrpcStatus::forConfigName)
        .mapToInt(s -> 1 << s.code()).reduce(0, (a, b) -> a | b);
    this.panicThreshold = config.panicThreshold();
    this.slowStartNanos = config.slowStart().toNanos();
    this.balancer = balancer;
    this.loops = loops;
    this.vertx = vertx;
    this.sink = sink;
    this.ejections = Counter.builder("portico.upstream.ejections")
        .description("Endpoints ejected by outlier detection")
        .tag("upstream", upstream).register(registry);
    this.gauges = HealthGauges.slot(registry, upstream);
  }

  /** The upstream went live: its gauges read this tracker. */
  public void live() {
    gauges.set(this);
  }

  int servingCount() {
    EndpointSet set = current;
    return set == null ? 0 : set.servingCount();
  }

  synchronized int unhealthyCount() {
    int count = 0;
    for (EndpointState state : states.values()) {
      count += state.checkedHealthy() ? 0 : 1;
    }
    return count;
  }

  synchronized int ejectedCount() {
    int count = 0;
    long now = System.currentTimeMillis();
    for (EndpointState state : states.values()) {
      count += state.ejected(now) ? 1 : 0;
    }
    return count;
  }

  /** A new endpoint list from configuration or discovery; known endpoints keep their state. */
  public synchronized void endpoints(List<Endpoint> next) {
    Map<String, EndpointState> kept = new HashMap<>();
    boolean first = current == null;
    for (Endpoint endpoint : next) {
      EndpointState before = states.get(endpoint.address());
      EndpointState state = before != null && before.endpoint().equals(endpoint) ? before : carry(before, endpoint, first);
      kept.put(endpoint.address(), state);
    }
    this.states = kept;
    this.endpoints = List.copyOf(next);
    publish();
  }

  private EndpointState carry(EndpointState before, Endpoint endpoint, boolean first) {
    EndpointState state = new EndpointState(endpoint);
    if (before != null) { // same address, new weight or readiness: keep what was learnt
      state.checkedHealthy(before.checkedHealthy());
      state.ejectedUntil(before.ejectedUntilMillis());
      state.timesEjected(before.timesEjected());
      state.servingSince(before.servingSinceNanos());
    } else if (!first) {
      state.servingSince(System.nanoTime()); // joins later: slow start applies
    }
    return state;
  }

  /** The states of the current endpoints, in list order. */
  public synchronized List<EndpointState> states() {
    List<EndpointState> list = new ArrayList<>(endpoints.size());
    for (Endpoint endpoint : endpoints) {
      list.add(states.get(endpoint.address()));
    }
    return list;
  }

  /** Whether panic mode is on: too few healthy endpoints, so all ready ones serve. */
  public boolean panic() {
    return panic;
  }

  /** A try to the endpoint failed (connect failure, reset, timeout, or a failing status). */
  public void failed(EndpointState state) {
    if (state.failure() >= outlier.consecutiveFailures() && !state.ejected()) {
      eject(state);
    }
  }

  /**
   * A try to the endpoint got an answer with {@code status}; {@code grpc} is the gRPC status of a
   * trailers-only answer to a gRPC call, else {@code null}.
   */
  public void answered(EndpointState state, int status, GrpcStatus grpc) {
    if (grpc != null && (grpcFailures & (1 << grpc.code())) != 0) {
      failed(state);
      return;
    }
    answered(state, status);
  }

  /** A try to the endpoint got an answer with {@code status}. */
  public void answered(EndpointState state, int status) {
    for (int failure : failureStatuses) {
      if (failure == status) {
        failed(state);
        return;
      }
    }
    state.success();
  }

  private synchronized void eject(EndpointState state) {
    if (closed || state.ejected() || states.get(state.endpoint().address()) != state) {
      return;
    }
    int ejected = 0;
    for (EndpointState other : states.values()) {
      if (other.ejected()) {
        ejected++;
      }
    }
    int allowed = Math.max(1, states.size() * outlier.maxEjectedPercent() / 100);
    if (ejected + 1 > allowed || !anotherServes(state)) {
      return; // keeps counting: it is ejected once another comes back
    }
    int times = state.timesEjected() + 1;
    long millis = Math.min(outlier.baseEjection().toMillis() * times, outlier.maxEjection().toMillis());
    state.timesEjected(times);
    state.ejectedUntil(System.currentTimeMillis() + millis);
    state.resetFailures();
    ejections.increment();
    LOG.warn("upstream {}: endpoint {} ejected for {} ms after {} failures in a row", upstream,
        state.endpoint().address(), millis, outlier.consecutiveFailures());
    publish();
    vertx.setTimer(Math.max(1, millis), id -> readmit(state));
  }

  /**
   * Whether an endpoint other than {@code state} would still serve (ready, passing its checks, not
   * ejected). Outlier detection never ejects the last one: with it gone the upstream answers
   * {@code 503 no_healthy_endpoint} for the whole ejection, a certain failure, where the endpoint
   * may well answer the next try (a sole endpoint whose first tries timed out on a cold replica
   * was ejected for 10-20 s while healthy). Envoy gets there through panic routing; here it holds
   * whether or not panic mode is on.
   */
  private boolean anotherServes(EndpointState state) {
    long now = System.currentTimeMillis();
    for (Endpoint endpoint : endpoints) {
      EndpointState other = states.get(endpoint.address());
      if (other != state && endpoint.ready() && other.checkedHealthy() && !other.ejected(now)) {
        return true;
      }
    }
    return false;
  }

  private synchronized void readmit(EndpointState state) {
    if (closed || !state.ejected()) {
      return;
    }
    state.ejectedUntil(0);
    state.resetFailures();
    state.servingSince(System.nanoTime());
    LOG.info("upstream {}: endpoint {} back from ejection", upstream, state.endpoint().address());
    publish();
  }

  /** An active check of {@code state} ended; {@code detail} says what it saw. */
  public synchronized void checked(EndpointState state, boolean passed, String detail, int healthy, int unhealthy) {
    if (closed || states.get(state.endpoint().address()) != state) {
      return;
    }
    state.lastCheck(detail);
    int streak = state.streak(passed);
    if (state.checkedHealthy() && streak <= -unhealthy) {
      state.checkedHealthy(false);
      LOG.warn("upstream {}: endpoint {} failed {} health checks ({})", upstream, state.endpoint().address(), -streak, detail);
      publish();
    } else if (!state.checkedHealthy() && streak >= healthy) {
      state.checkedHealthy(true);
      state.resetFailures();
      state.servingSince(System.nanoTime());
      LOG.info("upstream {}: endpoint {} passes health checks again", upstream, state.endpoint().address());
      publish();
    }
  }

  /** Stops timers; later reports are ignored. */
  public synchronized void close() {
    closed = true;
    gauges.compareAndSet(this, null);
    if (rampTimer >= 0) {
      vertx.cancelTimer(rampTimer);
    }
  }

  private void publish() {
    long nowMillis = System.currentTimeMillis();
    List<Endpoint> ready = new ArrayList<>(endpoints.size());
    List<Endpoint> healthy = new ArrayList<>(endpoints.size());
    for (Endpoint endpoint : endpoints) {
      if (!endpoint.ready()) {
        continue;
      }
      ready.add(endpoint);
      EndpointState state = states.get(endpoint.address());
      if (state.checkedHealthy() && !state.ejected(nowMillis)) {
        healthy.add(endpoint);
      }
    }
    boolean panicking = panicThreshold > 0 && !ready.isEmpty() && healthy.size() * 100 < panicThreshold * ready.size();
    if (panicking != panic) {
      LOG.warn("upstream {}: panic mode {} ({} of {} ready endpoints healthy)", upstream, panicking ? "on" : "off",
          healthy.size(), ready.size());
    }
    panic = panicking;
    List<Endpoint> chosen = panicking ? ready : healthy;
    IdentityHashMap<Endpoint, EndpointState> byEndpoint = new IdentityHashMap<>();
    List<Endpoint> serving = new ArrayList<>(chosen.size());
    boolean ramping = false;
    long now = System.nanoTime();
    for (Endpoint endpoint : chosen) {
      EndpointState state = states.get(endpoint.address());
      Endpoint weighted = endpoint;
      if (slowStartNanos > 0) {
        long since = state.servingSinceNanos();
        double share = since == 0 ? 1.0 : Math.min(1.0, (double) (now - since) / slowStartNanos);
        ramping |= share < 1.0;
        int weight = (int) Math.max(1, Math.round(endpoint.weight() * SLOW_START_SCALE * Math.max(0.1, share)));
        weighted = new Endpoint(endpoint.host(), endpoint.port(), weight, endpoint.zone(), true, endpoint.metadata());
      }
      serving.add(weighted);
      byEndpoint.put(weighted, state);
    }
    current = EndpointSet.of(endpoints, serving, balancer, loops, current, byEndpoint);
    sink.accept(current);
    scheduleRamp(ramping);
  }

  private void scheduleRamp(boolean ramping) {
    if (!ramping || closed || rampTimer >= 0) {
      return;
    }
    long step = Math.max(100, slowStartNanos / 10 / 1_000_000);
    rampTimer = vertx.setTimer(step, id -> {
      synchronized (this) {
        rampTimer = -1;
        if (!closed) {
          publish();
        }
      }
    });
  }
}
