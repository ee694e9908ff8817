package io.portico.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portico.plugin.PluginCalls;
import io.portico.spi.Plugin;
import io.portico.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Warming up and closing plugins survives whatever a plugin throws, Errors included. */
class PluginLifecycleTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void aWarmUpThatThrowsAnErrorFailsTheWarmUpInsteadOfEscaping() {
    Plugin broken = new Plugin() {
      @Override
      public Future<Void> warmUp() {
        throw new AssertionError("broken invariant");
      }
    };
    Throwable failure = Await.failure(PluginLifecycle.warmUp(List.of(broken, new Plugin() {}), vertx.getOrCreateContext()));
    assertThat(failure).isInstanceOf(AssertionError.class).hasMessage("broken invariant");
  }

  @Test
  void closingGoesOnPastPluginsThatThrowFailOrReturnNothing() {
    AtomicBoolean closed = new AtomicBoolean();
    List<Plugin> plugins = List.of(
        new Plugin() {
          @Override
          public Future<Void> close() {
            throw new NoSuchMethodError("'void io.portico.spi.Plugin.drain()'");
          }
        },
        new Plugin() {
          @Override
          public Future<Void> close() {
            return Future.failedFuture(new IllegalStateException("cannot close"));
          }
        },
        new Plugin() {
          @Override
          public Future<Void> close() {
            return null;
          }
        },
        new Plugin() {
          @Override
          public Future<Void> close() {
            closed.set(true);
            return Future.succeededFuture();
          }
        });
    Await.result(PluginLifecycle.closeAll(plugins));
    assertThat(closed).isTrue();
  }

  @Test
  void onlyTheJvmsOwnTroublesAreFatal() {
    assertThat(PluginCalls.fatal(new OutOfMemoryError())).isTrue();
    assertThat(PluginCalls.fatal(new InternalError())).isTrue();
    assertThat(PluginCalls.fatal(new StackOverflowError())).isFalse();
    assertThat(PluginCalls.fatal(new NoSuchMethodError())).isFalse();
    assertThat(PluginCalls.fatal(new ExceptionInInitializerError())).isFalse();
    assertThat(PluginCalls.fatal(new AssertionError())).isFalse();
  }

  @Test
  void everyFailureIsCountedByPluginAndPhase() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PluginFaults faults = new PluginFaults(registry);
    faults.report("p", new Object(), "onRequest", new StackOverflowError());
    faults.report("p", new Object(), "onRequest", new StackOverflowError()); // logged once, counted twice
    assertThat(registry.get("portico.plugin.errors").tag("plugin", "p").tag("phase", "onRequest").counter().count())
        .isEqualTo(2);
  }
}
