package io.portico.exchange;

import io.portico.runtime.GatewayRuntime;
import io.portico.upstream.Deadlines;
import io.portico.upstream.UpstreamClients;
import io.vertx.core.Context;

/**
 * The state one listener keeps for its event loop: its index (which balancer state to use), its
 * thread, its upstream clients and request id counter. Touched only from that event loop.
 */
public final class Loop {
  final int index;
  final Context context;
  final Thread thread;
  final UpstreamClients clients;
  final RequestIds ids;
  final GatewayRuntime runtime;
  final Deadlines deadlines;
  final PeerAddresses peers = new PeerAddresses();

  public Loop(int index, Context context, UpstreamClients clients, Deadlines deadlines, GatewayRuntime runtime) {
    this.index = index;
    this.context = context;
    this.thread = Thread.currentThread();
    this.clients = clients;
    this.ids = new RequestIds(index);
    this.runtime = runtime;
    this.deadlines = deadlines;
  }

  /** A new request id, unique to this gateway. */
  public String nextRequestId() {
    return ids.next();
  }

  /** Runs {@code task} on this loop: now when already on it, else queued on {@code context}. */
  void execute(Context exchangeContext, Runnable task) {
    if (Thread.currentThread() == thread) {
      task.run();
    } else {
      exchangeContext.runOnContext(v -> task.run());
    }
  }
}
