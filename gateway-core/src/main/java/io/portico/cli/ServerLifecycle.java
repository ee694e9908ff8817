package io.portico.cli;

import io.portico.PorticoServer;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * Runs a server on the main thread until SIGTERM or SIGINT, then drains it and returns 0. The
 * signals are handled here rather than in a shutdown hook so that a drained exit is exit code 0.
 */
final class ServerLifecycle {

  private ServerLifecycle() {}

  static int runUntilSignal(PorticoServer.Builder builder, PrintStream out, PrintStream err) throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    PorticoServer server;
    try {
      server = builder.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      err.println("portico: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
      return 1;
    }
    out.println("portico: listening on " + server.listenAddress() + ", admin on " + server.adminAddress());
    stop.await();
    out.println("portico: draining (up to " + server.drainTimeout().toSeconds() + "s)");
    server.stop().toCompletionStage().toCompletableFuture().get(server.drainTimeout().toSeconds() + 10, TimeUnit.SECONDS);
    out.println("portico: stopped");
    return 0;
  }
}
