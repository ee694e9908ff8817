package io.portico.testkit;

import io.portico.spi.ConfigErrors;
import io.portico.spi.Decision;
import io.portico.spi.ExchangeLog;
import io.portico.spi.Key;
import io.portico.spi.Plugin;
import io.portico.spi.PluginFactory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One plugin's phases without a server: the plugin is created from its factory and config as the
 * gateway would, and each phase runs on an event loop (as in the gateway) while the test waits for
 * its decision. Use it for the plugin's logic; use {@code TestGateway} for what needs real HTTP.
 *
 * <pre>{@code
 * try (PluginHarness harness = PluginHarness.create(new MaxBodyFactory(), new MaxBodyConfig(1024))) {
 *   Decision small = harness.onRequest(harness.exchange().method(HttpMethod.POST).body("tiny"));
 *   assertThat(small).isSameAs(Decision.next());
 *
 *   Decision large = harness.onRequest(harness.exchange().header("Content-Length", "4096"));
 *   assertThat(large).isInstanceOf(Reply.class);
 *   assertThat(((Reply) large).status()).isEqualTo(413);
 * }
 * }</pre>
 *
 * <p>A phase that fails (throws, or returns a failed future) makes {@link #onRequest} and
 * {@link #onResponse} throw {@link PhaseFailed} with the cause; one that does not decide within
 * the {@linkplain #timeout(Duration) timeout} (10 s) throws too.
 */
public final class PluginHarness implements AutoCloseable {
  private final Plugin plugin;
  private final TestPluginContext context;
  private final Context eventLoop;
  private final Vertx ownVertx;
  private Duration timeout = Duration.ofSeconds(10);

  /** A phase failed; {@link #getCause()} is what the plugin threw or failed its future with. */
  public static final class PhaseFailed extends RuntimeException {
    PhaseFailed(String phase, Throwable cause) {
      super(phase + " failed: " + cause, cause);
    }
  }

  private PluginHarness(Plugin plugin, TestPluginContext context, Vertx ownVertx) {
    this.plugin = plugin;
    this.context = context;
    this.ownVertx = ownVertx;
    this.eventLoop = context.vertx().getOrCreateContext();
  }

  /**
   * Creates the plugin on a Vert.x instance of its own (closed with the harness), with a default
   * {@link TestPluginContext}.
   */
  public static <C extends Record> PluginHarness create(PluginFactory<C> factory, C config) {
    Vertx vertx = Vertx.vertx();
    TestPluginContext context = new TestPluginContext(vertx);
    try {
      return new PluginHarness(created(factory, config, context), context, vertx);
    } catch (RuntimeException | Error e) {
      vertx.close();
      throw e;
    }
  }

  /** Creates the plugin with {@code context} (whose Vert.x instance the test owns). */
  public static <C extends Record> PluginHarness create(PluginFactory<C> factory, C config, TestPluginContext context) {
    return new PluginHarness(created(factory, config, context), context, null);
  }

  /** Drives an existing plugin instance with {@code context}. */
  public static PluginHarness of(Plugin plugin, TestPluginContext context) {
    return new PluginHarness(plugin, context, null);
  }

  private static <C extends Record> Plugin created(PluginFactory<C> factory, C config, TestPluginContext context) {
    Plugin plugin = factory.create(config, context);
    if (plugin == null) {
      throw new IllegalStateException(factory.name() + ": create returned null");
    }
    return plugin;
  }

  /**
   * What {@link PluginFactory#validate} reports for {@code config}, as {@code "field: message"}
   * lines; empty when the config is valid.
   */
  public static <C extends Record> List<String> validate(PluginFactory<C> factory, C config) {
    List<String> errors = new ArrayList<>();
    ConfigErrors collect = (field, message) -> errors.add(field + ": " + message);
    factory.validate(config, collect);
    return errors;
  }

  /** How long a phase may take to decide (10 s unless changed). */
  public PluginHarness timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public Plugin plugin() {
    return plugin;
  }

  public TestPluginContext context() {
    return context;
  }

  /** The event loop the phases run on. */
  public Context eventLoop() {
    return eventLoop;
  }

  /** A new {@code GET /} on this harness's event loop and route. */
  public TestExchange exchange() {
    return new TestExchange(eventLoop).routeName(context.routeName());
  }

  /** Runs {@link Plugin#warmUp()} and waits for it. */
  public void warmUp() {
    await("warmUp", plugin::warmUp);
  }

  /** Runs {@link Plugin#onRequest} on the event loop and returns its decision. */
  public Decision onRequest(TestExchange exchange) {
    return await("onRequest", () -> plugin.onRequest(onLoop(exchange)));
  }

  /** Runs {@link Plugin#onResponse} on the event loop and returns its decision. */
  public Decision onResponse(TestExchange exchange) {
    return await("onResponse", () -> plugin.onResponse(onLoop(exchange)));
  }

  /** Runs {@link Plugin#onComplete} on the event loop with a log of {@code exchange} answered {@code status}. */
  public void onComplete(TestExchange exchange, int status) {
    ExchangeLog log = log(onLoop(exchange), status);
    await("onComplete", () -> {
      plugin.onComplete(log);
      return Future.succeededFuture();
    });
  }

  private TestExchange onLoop(TestExchange exchange) {
    return exchange.context() == null ? exchange.context(eventLoop) : exchange;
  }

  private <T> T await(String phase, Supplier<Future<T>> call) {
    CompletableFuture<T> done = new CompletableFuture<>();
    eventLoop.runOnContext(v -> {
      try {
        Future<T> result = call.get();
        if (result == null) {
          done.completeExceptionally(new IllegalStateException("returned null instead of a future"));
        } else {
          result.onComplete(ar -> {
            if (ar.succeeded()) {
              done.complete(ar.result());
            } else {
              done.completeExceptionally(ar.cause());
            }
          });
        }
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    });
    try {
      return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new PhaseFailed(phase, e.getCause());
    } catch (TimeoutException e) {
      throw new PhaseFailed(phase, new TimeoutException("no decision within " + timeout.toMillis() + " ms"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PhaseFailed(phase, e);
    }
  }

  /** Closes the plugin (and the harness's own Vert.x instance, if it made one). */
  @Override
  public void close() {
    try {
      await("close", plugin::close);
    } finally {
      if (ownVertx != null) {
        ownVertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
      }
    }
  }

  private static ExchangeLog log(TestExchange exchange, int status) {
    return new ExchangeLog() {
      @Override public String requestId() { return exchange.requestId(); }
      @Override public String routeName() { return exchange.routeName(); }
      @Override public String upstreamName() { return "test-upstream"; }
      @Override public String endpoint() { return "127.0.0.1:0"; }
      @Override public HttpMethod method() { return exchange.method(); }
      @Override public String path() { return exchange.path(); }
      @Override public int status() { return status; }
      @Override public String errorCode() { return null; }
      @Override public long startEpochMillis() { return System.currentTimeMillis(); }
      @Override public long durationNanos() { return System.nanoTime() - exchange.startNanos(); }
      @Override public long upstreamDurationNanos() { return 0; }
      @Override public int attempts() { return 1; }
      @Override public long bytesReceived() { return 0; }
      @Override public long bytesSent() { return 0; }
      @Override public String clientIp() { return exchange.clientIp(); }
      @Override public String consumer() { return exchange.consumer(); }
      @Override public <T> T get(Key<T> key) { return exchange.get(key); }
    };
  }
}
