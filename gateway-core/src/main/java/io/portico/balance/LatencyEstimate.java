package io.portico.balance;

/**
 * What one event loop knows of one endpoint's latency: a peak-sensitive moving average of try
 * latencies (Finagle's and Linkerd's peak EWMA) and the tries in progress.
 *
 * <p>A latency above the current estimate replaces it at once (the peak), so a slowing endpoint is
 * shunned from its first slow answer. A lower one is blended in with a weight that grows with the
 * time since the last sample: {@code estimate·w + latency·(1−w)}, {@code w = e^(−Δt/τ)}, but at
 * least a tenth per sample, so a busy endpoint recovers from one slow answer within a few dozen
 * tries. Between
 * samples the estimate decays towards zero with the same time constant, so an endpoint that gets
 * no traffic (because it was slow) looks cheaper and cheaper until it is tried again, and a try
 * after a long silence counts for much.
 *
 * <p>Before its first sample an estimate has no value of its own: the balancer uses a neutral one.
 */
final class LatencyEstimate {
  static final double MIN_SAMPLE_WEIGHT = 0.1;
  int active;
  private double nanos;
  private long stamp;
  private boolean sampled;

  /** The estimate at time {@code now}, decayed since the last sample; only once {@link #sampled}. */
  double at(long now, double tauNanos) {
    return nanos * decay(now - stamp, tauNanos);
  }

  /** Takes in the latency of a try that ended at {@code now}. */
  void observe(double latency, long now, double tauNanos) {
    double w = decay(now - stamp, tauNanos);
    double decayed = nanos * w;
    if (!sampled) {
      nanos = latency;
      sampled = true;
    } else if (latency > decayed) {
      nanos = latency;
    } else {
      // each faster sample pulls at least a tenth of the way down: a pause of the whole process
      // (GC, a busy machine) inflates every try in flight at once, and a busy endpoint must not
      // look slow for seconds after it, while an idle one still decays by time alone
      double keep = Math.min(w, 1 - MIN_SAMPLE_WEIGHT);
      nanos = nanos * keep + latency * (1 - keep);
    }
    stamp = now;
  }

  /** {@code e^(−elapsed/τ)}, 1 for a clock that went backwards. */
  private static double decay(long elapsed, double tauNanos) {
    if (elapsed <= 0) {
      return 1;
    }
    double x = elapsed / tauNanos;
    // a busy endpoint is read every few milliseconds against a τ of seconds: three Taylor terms are
    // exact to 2e-7 there and much cheaper than Math.exp on the pick path
    return x < 0.01 ? 1 - x * (1 - x * 0.5) : Math.exp(-x);
  }

  /** Whether any try has been measured. */
  boolean sampled() {
    return sampled;
  }
}
