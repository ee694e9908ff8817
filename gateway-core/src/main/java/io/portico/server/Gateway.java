package io.portico.server;

import io.portico.runtime.GatewayView;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.portico.chain.PluginLifecycle;
import io.portico.config.ValidatedConfig;
import io.portico.runtime.EngineStats;
import io.portico.runtime.GatewayRuntime;
import io.portico.runtime.CompiledConfig;
import io.portico.runtime.ConfigCompiler;
import io.portico.spi.GatewayStats;
import io.portico.upstream.Upstream;
import io.portico.spi.Plugin;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.portico.server.TlsSources;
import io.portico.tls.CertificateExpiry;
import io.portico.tls.TlsFileWatcher;

/**
 * The proxy engine: listeners on every event loop, the compiled routes and plugin chains, the
 * upstream client pools. Start it with {@link #start}, swap its config with {@link #apply}, stop it
 * with {@link #shutdown}. All methods may be called from any thread.
 */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  /** How often certificate files are checked for rotation. */
  private static final long TLS_CHECK_MILLIS = 1000;

  private final Vertx vertx;
  private final PrometheusMeterRegistry meterRegistry;
  private final GatewayRuntime runtime;
  private final ConfigCompiler compiler;
  private final List<ListenerVerticle> listeners;
  private final Context control;
  private final Promise<Void> ready = Promise.promise();
  private String deploymentId;
  private TlsFileWatcher tlsWatcher;
  private OverloadGuard overload;
  private Future<Void> applying = Future.succeededFuture();
  private Future<Void> stopped;

  private Gateway(Vertx vertx, PrometheusMeterRegistry meterRegistry, GatewayRuntime runtime,
      ConfigCompiler compiler, List<ListenerVerticle> listeners, Context control) {
    this.vertx = vertx;
    this.meterRegistry = meterRegistry;
    this.runtime = runtime;
    this.compiler = compiler;
    this.listeners = listeners;
    this.control = control;
  }

  /**
   * Compiles {@code config} off the event loops, binds {@code listen} (port 0 picks a free port)
   * and deploys one listener verticle per {@code listen.instances}. The future completes once the
   * listeners are bound; {@link #ready()} once the plugins warmed up too.
   */
  public static Future<Gateway> start(Vertx vertx, ValidatedConfig config) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(config, "config");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    int instances = Math.max(1, config.gateway().listen().instances());
    EngineStats stats = new EngineStats(config.gateway().listen());
    ConfigCompiler compiler = new ConfigCompiler(vertx, registry, stats, instances);
    Context control = EventLoopContexts.create(vertx);
    return vertx.executeBlocking(() -> compiler.compile(config, null)).compose(compilation -> {
      GatewayRuntime runtime = new GatewayRuntime(compilation.snapshot(), registry, stats);
      List<ListenerVerticle> listeners = new CopyOnWriteArrayList<>();
      AtomicInteger next = new AtomicInteger();
      Gateway gateway = new Gateway(vertx, registry, runtime, compiler, listeners, control);
      gateway.overload = new OverloadGuard(vertx, config.gateway().overload(), runtime.overload(), instances);
      return vertx.deployVerticle(() -> {
        ListenerVerticle listener = new ListenerVerticle(runtime, next.getAndIncrement(), gateway.overload);
        listeners.add(listener);
        return listener;
      }, new DeploymentOptions().setInstances(instances)).map(id -> {
        gateway.deploymentId = id;
        gateway.tlsWatcher = new TlsFileWatcher(vertx, () -> TlsSources.of(runtime, listeners),
            new CertificateExpiry(registry));
        gateway.tlsWatcher.start(TLS_CHECK_MILLIS);
        compilation.start();
        gateway.warmUp(compilation.created()).onComplete(gateway.ready);
        LOG.info("gateway listening on {}:{} with {} routes (config {} from {})", runtime.listen().host(),
            gateway.port(), compilation.snapshot().view().routes().size(), config.version(), config.source());
        return gateway;
      }).onFailure(e -> compilation.abandon());
    });
  }

  /**
   * Compiles {@code next} off the event loops (plugins whose binding is unchanged keep their
   * instance), warms up the new plugins, swaps the snapshot in atomically and then closes the
   * plugins it replaced. Exchanges in flight finish on the snapshot they started with. A config
   * that fails to compile or to warm up is rejected and the running one stays. Listener settings
   * ({@code listen}, {@code limits}) are fixed at start. Calls are applied one after the other.
   */
  public Future<Void> apply(ValidatedConfig next) {
    Objects.requireNonNull(next, "next");
    synchronized (this) {
      applying = applying.transform(ignored -> doApply(next));
      return applying;
    }
  }

  private Future<Void> doApply(ValidatedConfig next) {
    var running = runtime.snapshot().config().gateway();
    if (!running.listen().equals(next.gateway().listen()) || !running.limits().equals(next.gateway().limits())) {
      LOG.warn("config {}: changes to listen and limits take effect at the next start", next.version());
    }
    return vertx.executeBlocking(() -> compiler.compile(next, runtime.snapshot())).compose(compilation ->
        warmUp(compilation.created()).compose(
            warmed -> {
              CompiledConfig retired = runtime.snapshot();
              runtime.swap(compilation.snapshot());
              compilation.retire(retired);
              LOG.info("config {} from {} is live", next.version(), next.source());
              return PluginLifecycle.closeAll(compilation.replaced());
            },
            failure -> {
              compilation.abandon();
              return Future.failedFuture(failure);
            }));
  }

  /**
   * Stops accepting connections, lets requests in flight finish for up to {@code drain}, then
   * closes every connection, the listeners, the client pools and the plugins.
   */
  public synchronized Future<Void> shutdown(Duration drain) {
    if (stopped != null) {
      return stopped;
    }
    runtime.startDraining();
    if (tlsWatcher != null) {
      tlsWatcher.stop();
    }
    if (overload != null) {
      overload.close();
    }
    List<Future<Void>> drained = new ArrayList<>();
    for (ListenerVerticle listener : listeners) {
      drained.add(listener.shutdown(drain));
    }
    stopped = Future.join(drained)
        .transform(ar -> deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId))
        .transform(ar -> {
          ConfigCompiler.stopDiscovery(runtime.snapshot());
          return PluginLifecycle.closeAll(runtime.snapshot().view().plugins());
        })
        .onComplete(ar -> LOG.info("gateway stopped"));
    return stopped;
  }

  /** The port the listener is actually bound to. */
  public int port() {
    return listeners.isEmpty() ? -1 : listeners.get(0).port();
  }

  /** The running config as the admin API shows it. */
  public GatewayView snapshot() {
    return runtime.snapshot().view();
  }

  /** Whether the gateway sheds load to protect itself, and why. */
  public io.portico.runtime.OverloadState overload() {
    return runtime.overload();
  }

  /** The running upstream named {@code name}, or {@code null}. */
  public Upstream upstream(String name) {
    return runtime.snapshot().upstreams().get(name);
  }

  /** Completes once the listeners are bound and every plugin of the active config warmed up. */
  public Future<Void> ready() {
    return ready.future();
  }

  /**
   * The gateway's registry, handed to plugins through their context. It is a
   * {@link PrometheusMeterRegistry}, which the admin server scrapes.
   */
  public MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** Open connections and exchanges in flight, as plugins see them. */
  public GatewayStats stats() {
    return runtime.stats();
  }

  /** Exchanges started and not yet complete (for drain logging and tests). */
  public int inFlight() {
    return runtime.inFlight();
  }

  private Future<Void> warmUp(List<Plugin> plugins) {
    return PluginLifecycle.warmUp(plugins, control);
  }
}
