package io.portico.server;

import io.portico.runtime.OverloadState;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * {@code overload.heap}: the share of the maximum heap still in use after the last GC (what the
 * collector could not free, unlike the heap in use at any moment, which saws up and down).
 * Shedding turns on above {@code shed-above} and off again below it by {@link #HYSTERESIS} of the
 * heap. Checked on a timer; reading the memory pools neither blocks nor allocates much.
 */
final class HeapSignal {
  static final long PERIOD_MILLIS = 1000;
  static final double HYSTERESIS = 0.05;
  private final double shedAbove;
  private final OverloadState state;
  private final DoubleSupplier usedAfterGc;

  HeapSignal(double shedAbove, OverloadState state, DoubleSupplier usedAfterGc) {
    this.shedAbove = shedAbove;
    this.state = state;
    this.usedAfterGc = usedAfterGc;
  }

  /** Reads the heap after the last GC and updates the signal. */
  void check() {
    double used = usedAfterGc.getAsDouble();
    boolean on = state.isOn(OverloadState.Signal.HEAP);
    if (!on && used > shedAbove) {
      state.set(OverloadState.Signal.HEAP, true);
    } else if (on && used < shedAbove - HYSTERESIS) {
      state.set(OverloadState.Signal.HEAP, false);
    }
  }

  /** The JVM's figure: the heap pools' usage after their last collection, over the maximum heap. */
  static double jvmHeapAfterGc() {
    List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
    long used = 0;
    for (MemoryPoolMXBean pool : pools) {
      if (pool.getType() == MemoryType.HEAP) {
        MemoryUsage afterGc = pool.getCollectionUsage();
        if (afterGc != null) {
          used += afterGc.getUsed();
        }
      }
    }
    long max = Runtime.getRuntime().maxMemory();
    return max <= 0 || max == Long.MAX_VALUE ? 0 : (double) used / max;
  }
}
