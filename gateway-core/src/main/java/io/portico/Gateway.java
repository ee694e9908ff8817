package io.portico;

import io.micrometer.core.instrument.MeterRegistry;
import io.portico.config.ValidatedConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * The proxy engine: listeners on every event loop, the compiled routes and plugin chains, the
 * upstream client pools. Start it with {@link #start}, swap its config with {@link #apply}, stop it
 * with {@link #shutdown}. All methods may be called from any thread.
 */
public final class Gateway {

  private Gateway() {}

  /**
   * Compiles {@code config} off the event loops, binds {@code listen} (port 0 picks a free port)
   * and deploys one listener verticle per {@code listen.instances}.
   */
  public static Future<Gateway> start(Vertx vertx, ValidatedConfig config) {
    return Future.failedFuture(new UnsupportedOperationException("not yet implemented"));
  }

  /**
   * Compiles {@code next} off the event loops (plugins whose binding is unchanged keep their
   * instance), swaps it in atomically and closes the plugins it replaced. Exchanges in flight
   * finish on the snapshot they started with. Listener settings are not changed by a reload.
   */
  public Future<Void> apply(ValidatedConfig next) {
    return Future.failedFuture(new UnsupportedOperationException("not yet implemented"));
  }

  /**
   * Stops accepting connections, lets requests in flight finish for up to {@code drain}, then
   * closes every connection and releases the listeners and client pools.
   */
  public Future<Void> shutdown(Duration drain) {
    return Future.failedFuture(new UnsupportedOperationException("not yet implemented"));
  }

  /** The port the listener is actually bound to. */
  public int port() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** The running config as the admin API shows it. */
  public GatewaySnapshot snapshot() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** Completes once the listeners are bound and every plugin of the active config warmed up. */
  public Future<Void> ready() {
    return Future.failedFuture(new UnsupportedOperationException("not yet implemented"));
  }

  /** The gateway's Prometheus registry, handed to plugins through their context. */
  public MeterRegistry meterRegistry() {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
