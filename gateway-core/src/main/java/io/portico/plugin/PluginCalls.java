package io.portico.plugin;

import io.vertx.core.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls into plugin code outside an exchange (config stores, discovery sources, lifecycle), so that
 * whatever it throws, an {@link Error} included, becomes an ordinary failure naming the plugin and
 * its jar. Fatal JVM errors still propagate (see {@link #fatal}).
 *
 * <p>Why {@link Throwable}: a plugin built against another API throws {@link LinkageError}s, a deep
 * recursion {@link StackOverflowError}, a failed {@code assert} an {@link AssertionError}; none of
 * them says anything about the gateway's health. Only {@link VirtualMachineError}s other than
 * {@link StackOverflowError} (out of memory, an internal JVM error) propagate.
 */
public final class PluginCalls {
  private static final Logger LOG = LoggerFactory.getLogger(PluginCalls.class);

  private PluginCalls() {}

  /** Whether the JVM itself is in trouble: such a throwable is never caught by the gateway. */
  public static boolean fatal(Throwable t) {
    return t instanceof VirtualMachineError && !(t instanceof StackOverflowError);
  }

  /** Rethrows {@code t} when it is {@linkplain #fatal fatal}; returns otherwise. */
  public static void rethrowIfFatal(Throwable t) {
    if (fatal(t)) {
      throw (VirtualMachineError) t;
    }
  }

  /**
   * The result of {@code call}; a throw becomes an {@link IllegalStateException} naming {@code
   * what} ({@code "config store etcd: follow"}) and the jar of {@code instance}.
   */
  public static <T> T call(String what, Object instance, Supplier<T> call) {
    try {
      return call.get();
    } catch (Throwable t) {
      rethrowIfFatal(t);
      throw new IllegalStateException(what + " (" + PluginJarLoader.originOf(instance) + ") failed: " + t, t);
    }
  }

  /** Runs {@code call}, logging (never throwing) what it throws. */
  public static void quietly(String what, Object instance, Runnable call) {
    try {
      call.run();
    } catch (Throwable t) {
      rethrowIfFatal(t);
      LOG.warn("{} ({}) failed", what, PluginJarLoader.originOf(instance), t);
    }
  }

  /**
   * The future {@code close} returns, or a succeeded one: a throw, a {@code null} or a failed
   * future is logged, so that closing one thing never stops the others from closing.
   */
  public static Future<Void> close(String what, Object instance, Supplier<Future<Void>> close) {
    try {
      Future<Void> closed = close.get();
      if (closed == null) {
        return Future.succeededFuture();
      }
      return closed.recover(cause -> {
        LOG.warn("{} ({}) failed to close", what, PluginJarLoader.originOf(instance), cause);
        return Future.succeededFuture();
      });
    } catch (Throwable t) {
      rethrowIfFatal(t);
      LOG.warn("{} ({}) failed to close", what, PluginJarLoader.originOf(instance), t);
      return Future.succeededFuture();
    }
  }
}
