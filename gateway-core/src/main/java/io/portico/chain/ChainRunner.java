package io.portico.chain;

import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.ExchangeLog;
import io.portico.spi.Plugin;
import io.portico.spi.Reply;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.List;

/**
 * Runs one exchange through its route's chain: {@code onRequest} in order until a {@link Reply} or
 * the end, {@code onResponse} in reverse over the plugins whose {@code onRequest} ran, and
 * {@code onComplete} once over the same plugins. A phase that returns an already completed future
 * continues synchronously; otherwise the runner resumes on the exchange's event loop when it
 * completes. The runner owns the control flow: a plugin cannot skip or repeat a step.
 *
 * <p>It also clocks each plugin's phases ({@link System#nanoTime()} around each call, or until a
 * pending future completed and the runner resumed) into one array of longs per exchange. Plugins
 * that run one after another share a reading: the end of one call is the start of the next, so a
 * phase over n plugins reads the clock n + 1 times instead of 2n.
 */
public final class ChainRunner {
  private static final long[] NO_TIMES = new long[0];

  /** What the exchange does between and after phases. Called on the exchange's event loop. */
  public interface Listener {
    /** Every {@code onRequest} continued: call the upstream. */
    void requestPhaseDone();

    /** A plugin answered in {@code onRequest}: the answer replaces the upstream call. */
    void requestReplied(Reply reply);

    /** A plugin replaced the answer in {@code onResponse}; later plugins see the replacement. */
    void responseReplaced(Reply reply);

    /** Every {@code onResponse} continued: write the answer. */
    void responsePhaseDone();

    /** A phase threw or failed: {@code cause} decides the answer. */
    void phaseFailed(Throwable cause);

    /** Whether the exchange already ended (the client went away): stop running phases. */
    boolean finished();

    /** Runs {@code task} on the exchange's event loop, now if already there. */
    void onLoop(Runnable task);

    /**
     * How long a phase may wait on its future before it counts as failed (0: no limit), so that a
     * plugin whose future never completes (an {@link Error} thrown in a callback of its own, say)
     * cannot hang the exchange.
     */
    default long phaseTimeoutMillis() {
      return 0;
    }
  }

  private final CompiledChain chain;
  private final Exchange exchange;
  private final Listener listener;
  /** Nanoseconds spent in each plugin's phases so far, by chain index. */
  private final long[] nanos;
  private int requestRan;
  /** The plugin whose phase waits on a future, or -1; its clock started at {@link #pendingSince}. */
  private int pending = -1;
  private long pendingSince;
  /** The latest clock reading of the running phase: where the next call's time starts. */
  private long clock;
  /** Counts waits on pending phases; a completion or deadline of an earlier wait is stale. */
  private int waits;
  private long deadlineTimer = -1;

  public ChainRunner(CompiledChain chain, Exchange exchange, Listener listener) {
    this.chain = chain;
    this.exchange = exchange;
    this.listener = listener;
    this.nanos = chain.size() == 0 ? NO_TIMES : new long[chain.size()];
  }

  /** Starts the request phase. */
  public void runRequest() {
    requestFrom(0);
  }

  /** Starts the response phase over the plugins whose {@code onRequest} ran. */
  public void runResponse() {
    responseFrom(requestRan - 1);
  }

  /** The chain's plugin names, the index space of {@link #stopClocks()}. */
  public List<String> pluginNames() {
    return chain.pluginNames();
  }

  /** How many plugins' {@code onRequest} ran: the later ones have no time. */
  public int pluginsRan() {
    return requestRan;
  }

  /**
   * The time spent in each plugin's phases, by chain index. A phase still waiting on its future is
   * counted up to now. Call once the exchange finished: no phase runs or writes to the returned
   * array afterwards, so it may be handed out as part of an immutable record; do not modify it.
   */
  public long[] stopClocks() {
    endPending();
    return nanos;
  }

  /** Calls {@code onComplete} in reverse over the plugins whose {@code onRequest} ran. */
  public void complete(ExchangeLog log) {
    for (int i = requestRan - 1; i >= 0; i--) {
      Plugin plugin = chain.plugin(i);
      try {
        plugin.onComplete(log);
      } catch (Throwable t) { // an Error too: the other plugins still complete
        PluginFaults.rethrowIfFatal(t);
        chain.faults().report(chain.pluginName(i), plugin, "onComplete", t);
      }
    }
  }

  private void requestFrom(int start) {
    if (start < chain.size()) {
      clock = System.nanoTime();
    }
    for (int i = start; i < chain.size(); i++) {
      if (listener.finished()) {
        return;
      }
      requestRan = i + 1;
      Future<Decision> decision = invoke(chain.plugin(i), true, i);
      if (decision == null) {
        return;
      }
      if (pending == i) { // the future was not complete when invoke clocked it
        int next = i + 1;
        int index = i;
        int wait = await(index, true);
        decision.onComplete(ar -> listener.onLoop(() -> {
          if (settled(wait)) {
            resumeRequest(ar, index, next);
          }
        }));
        return;
      }
      if (!settle(decision, i, true)) {
        return;
      }
    }
    listener.requestPhaseDone();
  }

  private void resumeRequest(AsyncResult<Decision> result, int index, int next) {
    if (listener.finished()) {
      return;
    }
    endPending();
    if (settle(result, index, true)) {
      requestFrom(next);
    }
  }

  private void responseFrom(int start) {
    if (start >= 0) {
      clock = System.nanoTime();
    }
    for (int i = start; i >= 0; i--) {
      if (listener.finished()) {
        return;
      }
      Future<Decision> decision = invoke(chain.plugin(i), false, i);
      if (decision == null) {
        return;
      }
      if (pending == i) { // the future was not complete when invoke clocked it
        int next = i - 1;
        int index = i;
        int wait = await(index, false);
        decision.onComplete(ar -> listener.onLoop(() -> {
          if (settled(wait)) {
            resumeResponse(ar, index, next);
          }
        }));
        return;
      }
      if (!settle(decision, i, false)) {
        return;
      }
    }
    listener.responsePhaseDone();
  }

  private void resumeResponse(AsyncResult<Decision> result, int index, int next) {
    if (listener.finished()) {
      return;
    }
    endPending();
    if (settle(result, index, false)) {
      responseFrom(next);
    }
  }

  /**
   * Calls the phase and clocks it: until it returns, or when it returns a pending future, until
   * {@link #endPending()}. {@code null} when it threw (the failure is already reported).
   */
  private Future<Decision> invoke(Plugin plugin, boolean request, int index) {
    long start = clock;
    try {
      Future<Decision> decision = request ? plugin.onRequest(exchange) : plugin.onResponse(exchange);
      if (decision == null) {
        throw new IllegalStateException("returned null instead of a decision");
      }
      if (decision.isComplete()) {
        clock = System.nanoTime();
        nanos[index] += clock - start;
      } else {
        pending = index;
        pendingSince = start;
      }
      return decision;
    } catch (Throwable t) { // an Error too (a plugin built against another API): the exchange still gets its answer
      PluginFaults.rethrowIfFatal(t);
      clock = System.nanoTime();
      nanos[index] += clock - start;
      fail(t, index, request);
      return null;
    }
  }

  /** Starts waiting on the pending phase of plugin {@code index}, with its deadline if any. */
  private int await(int index, boolean request) {
    int wait = ++waits;
    long timeout = listener.phaseTimeoutMillis();
    if (timeout > 0 && exchange.context() != null) {
      deadlineTimer = exchange.context().owner().setTimer(timeout, id -> listener.onLoop(() -> {
        if (wait != waits || listener.finished()) {
          return;
        }
        waits++; // a late completion of the phase is ignored
        deadlineTimer = -1;
        endPending();
        fail(new java.util.concurrent.TimeoutException("no decision within " + timeout + " ms"), index, request);
      }));
    }
    return wait;
  }

  /** Whether the completion of wait {@code wait} is current (its deadline did not pass); stops the deadline. */
  private boolean settled(int wait) {
    if (wait != waits) {
      return false;
    }
    if (deadlineTimer >= 0) {
      exchange.context().owner().cancelTimer(deadlineTimer);
      deadlineTimer = -1;
    }
    return true;
  }

  private void endPending() {
    if (pending >= 0) {
      nanos[pending] += System.nanoTime() - pendingSince;
      pending = -1;
    }
  }

  /** Applies a completed decision; whether the phase goes on to the next plugin. */
  private boolean settle(AsyncResult<Decision> result, int index, boolean request) {
    if (result.failed()) {
      fail(result.cause(), index, request);
      return false;
    }
    Decision decision = result.result();
    if (decision instanceof Reply reply) {
      if (request) {
        listener.requestReplied(reply);
        return false;
      }
      listener.responseReplaced(reply);
    } else if (decision == null) {
      fail(new IllegalStateException("completed with null instead of a decision"), index, request);
      return false;
    }
    return true;
  }

  private void fail(Throwable cause, int index, boolean request) {
    if (cause instanceof io.portico.spi.BodyTooLargeException) {
      listener.phaseFailed(cause); // the client's body, not the plugin, is at fault: 413
      return;
    }
    String phase = request ? "onRequest" : "onResponse";
    Plugin plugin = chain.plugin(index);
    chain.faults().report(chain.pluginName(index), plugin, phase, cause);
    listener.phaseFailed(PluginFailure.of(chain.pluginName(index), plugin, phase, cause));
  }
}
