package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portico.runtime.OverloadState;
import io.portico.runtime.OverloadState.Signal;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The hysteresis of the overload signals: on at the threshold, off only well below it. */
class OverloadSignalsTest {
  final OverloadState state = new OverloadState(new SimpleMeterRegistry());

  @Test
  void heapTurnsOnAboveTheThresholdAndOffFivePointsBelowIt() {
    AtomicReference<Double> used = new AtomicReference<>(0.5);
    HeapSignal heap = new HeapSignal(0.9, state, used::get);

    heap.check();
    assertThat(state.shedding()).isFalse();
    used.set(0.93);
    heap.check();
    assertThat(state.isOn(Signal.HEAP)).isTrue();
    assertThat(state.shedding()).isTrue();
    used.set(0.87); // below the threshold, not yet below it by the margin
    heap.check();
    assertThat(state.shedding()).isTrue();
    used.set(0.84);
    heap.check();
    assertThat(state.shedding()).isFalse();
  }

  @Test
  void lagTurnsOnAtOnceAndOffOnlyAfterEveryLoopStayedCalmForASecond() {
    LoopLagSignal lag = new LoopLagSignal(100, 2, state);
    long ms = 1_000_000;
    long t = 1_000_000_000L;

    lag.measured(0, 20 * ms, t);
    assertThat(state.shedding()).isFalse();
    lag.measured(1, 300 * ms, t);
    assertThat(state.isOn(Signal.EVENT_LOOP_LAG)).isTrue();
    lag.measured(1, 1 * ms, t + 100 * ms);
    lag.measured(0, 1 * ms, t + 100 * ms);
    assertThat(state.shedding()).as("calm for 100 ms only").isTrue();
    lag.measured(0, 70 * ms, t + 900 * ms); // above half the threshold: the calm starts again
    lag.measured(1, 1 * ms, t + 1200 * ms);
    assertThat(state.shedding()).isTrue();
    lag.measured(1, 1 * ms, t + 1950 * ms);
    assertThat(state.shedding()).isFalse();
  }
}
