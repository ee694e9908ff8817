package io.portico.endpoint;

import io.portico.spi.Endpoint;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the gateway knows of one endpoint beyond its discovery record: tries in flight, failures in
 * a row, active check verdict and ejection. Shared by all event loops; the request path touches
 * only the adders and the failure counter, transitions go through the upstream's health tracker.
 */
public final class EndpointState {
  private final Endpoint endpoint;
  private final LongAdder active = new LongAdder();
  private final LongAdder tries = new LongAdder();
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private volatile boolean checkedHealthy = true;
  private volatile String lastCheck;
  private volatile long ejectedUntilMillis;
  private volatile long servingSinceNanos;
  private volatile int timesEjected;
  private int checkStreak; // passes (> 0) or failures (< 0) in a row, written by the checker only

  public EndpointState(Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** The endpoint as discovered or configured, with its own weight. */
  public Endpoint endpoint() {
    return endpoint;
  }

  public void tryStarted() {
    active.increment();
    tries.increment();
  }

  public void tryEnded() {
    active.decrement();
  }

  /** Tries in flight on all event loops. */
  public long active() {
    return active.sum();
  }

  /** Tries sent to this endpoint since it joined its set: the status page's share of traffic. */
  public long tries() {
    return tries.sum();
  }

  /** Counts a failure and returns how many came in a row. */
  public int failure() {
    return consecutiveFailures.incrementAndGet();
  }

  /** A success ends a run of failures; writes only when there was one. */
  public void success() {
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
  }

  public int consecutiveFailures() {
    return consecutiveFailures.get();
  }

  public void resetFailures() {
    consecutiveFailures.set(0);
  }

  /** The verdict of active health checks; {@code true} until a check says otherwise. */
  public boolean checkedHealthy() {
    return checkedHealthy;
  }

  public void checkedHealthy(boolean healthy) {
    this.checkedHealthy = healthy;
  }

  /** What the last active check saw ({@code 200}, {@code timeout}, ...), or {@code null}. */
  public String lastCheck() {
    return lastCheck;
  }

  public void lastCheck(String detail) {
    this.lastCheck = detail;
  }

  /**
   * Adds a check result to the current streak and returns its length: positive for passes in a
   * row, negative for failures in a row.
   */
  public int streak(boolean passed) {
    if (passed) {
      checkStreak = checkStreak > 0 ? checkStreak + 1 : 1;
    } else {
      checkStreak = checkStreak < 0 ? checkStreak - 1 : -1;
    }
    return checkStreak;
  }

  /** Whether outlier detection keeps the endpoint out at {@code nowMillis}. */
  public boolean ejected(long nowMillis) {
    return ejectedUntilMillis > nowMillis;
  }

  public boolean ejected() {
    return ejectedUntilMillis != 0;
  }

  /** Wall-clock end of the current ejection, 0 when not ejected. */
  public long ejectedUntilMillis() {
    return ejectedUntilMillis;
  }

  public void ejectedUntil(long millis) {
    this.ejectedUntilMillis = millis;
  }

  public int timesEjected() {
    return timesEjected;
  }

  public void timesEjected(int times) {
    this.timesEjected = times;
  }

  /** When the endpoint last (re)joined the rotation ({@code System.nanoTime}), 0 for from the start. */
  public long servingSinceNanos() {
    return servingSinceNanos;
  }

  public void servingSince(long nanos) {
    this.servingSinceNanos = nanos;
  }
}
