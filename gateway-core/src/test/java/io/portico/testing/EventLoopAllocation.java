package io.portico.testing;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.netty.util.concurrent.EventExecutor;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Bytes allocated on one Vert.x instance's event-loop threads, read from
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}: a count, not a time, so it is
 * as stable on a busy machine as on a quiet one.
 */
public final class EventLoopAllocation {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final long[] threadIds;

  private EventLoopAllocation(long[] threadIds) {
    this.threadIds = threadIds;
  }

  /** Meters the event-loop threads of {@code vertx} (each loop is asked for its thread). */
  public static EventLoopAllocation of(Vertx vertx) {
    if (!THREADS.isThreadAllocatedMemorySupported()) {
      throw new IllegalStateException("this JVM cannot count allocated bytes per thread");
    }
    THREADS.setThreadAllocatedMemoryEnabled(true);
    List<Long> ids = new ArrayList<>();
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      try {
        ids.add(loop.submit(() -> Thread.currentThread().getId()).get(10, TimeUnit.SECONDS));
      } catch (Exception e) {
        throw new IllegalStateException("event loop did not answer", e);
      }
    }
    return new EventLoopAllocation(ids.stream().mapToLong(Long::longValue).toArray());
  }

  /** Bytes allocated so far by all the metered threads together. */
  public long allocatedBytes() {
    long sum = 0;
    for (long bytes : THREADS.getThreadAllocatedBytes(threadIds)) {
      sum += Math.max(bytes, 0); // -1 for a thread that is gone
    }
    return sum;
  }
}
