package io.portico.server;

import io.portico.exchange.Loop;
import io.portico.exchange.RequestDispatcher;
import io.portico.runtime.GatewayRuntime;
import io.portico.upstream.Deadlines;
import io.portico.upstream.UpstreamClients;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One client-facing listener on one event loop: an HTTP server sharing the gateway's port with the
 * other instances, and the upstream clients of that loop. Everything an exchange touches stays on
 * this loop.
 */
public final class ListenerVerticle extends VerticleBase {
  private final GatewayRuntime runtime;
  private final int index;
  private final OverloadGuard overload;
  private LoopLagProbe lagProbe;
  private HttpServer server;
  private UpstreamClients clients;

  ListenerVerticle(GatewayRuntime runtime, int index, OverloadGuard overload) {
    this.runtime = runtime;
    this.index = index;
    this.overload = overload;
  }

  @Override
  public Future<?> start() {
    EventLoop eventLoop = ((ContextInternal) context).nettyEventLoop();
    clients = new UpstreamClients(vertx, eventLoop, runtime.stats().upstreamConnectionCount());
    Loop loop = new Loop(index, context, clients, new Deadlines(eventLoop), runtime);
    RequestDispatcher dispatcher = new RequestDispatcher(loop);
    server = GuardedHttpServer.create(vertx,
        ServerOptionsFactory.create(runtime.listen(), runtime.bindPort(), runtime.snapshot().config().gateway().limits(),
            runtime.snapshot().config().baseDir()),
        runtime.limits(), runtime.stats().clientConnections(), overload.cap());
    lagProbe = overload.probe(index);
    if (lagProbe != null) {
      lagProbe.start();
    }
    server.requestHandler(dispatcher::handle).invalidRequestHandler(new RefusedRequests(loop)::handle);
    return server.listen();
  }

  /** New TLS material for new connections; open connections keep theirs. */
  public Future<Boolean> updateTls(io.vertx.core.net.ServerSSLOptions options) {
    return server.updateSSLOptions(options, true);
  }

  /** The port this listener is bound to. */
  public int port() {
    return server.actualPort();
  }

  /**
   * Stops accepting and lets open exchanges finish for up to {@code drain}: idle connections close
   * at once, busy ones after their current answer, HTTP/2 ones with a GOAWAY, WebSocket tunnels
   * with a close frame 1001.
   */
  public Future<Void> shutdown(Duration drain) {
    runtime.webSockets().drain(drain); // open tunnels get a close frame 1001 at the end of the drain
    return server.shutdown(drain.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<?> stop() {
    if (lagProbe != null) {
      lagProbe.stop();
    }
    return server.close().andThen(ar -> clients.close());
  }
}
