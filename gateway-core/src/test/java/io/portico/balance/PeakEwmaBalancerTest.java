package io.portico.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.portico.spi.Endpoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PeakEwmaBalancerTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  private final Endpoint a = Endpoint.of("a", 80);
  private final Endpoint b = Endpoint.of("b", 80);
  private final Endpoint slow = Endpoint.of("slow", 80);

  /**
   * Simulated time and traffic: one request a millisecond, each try taking its endpoint's latency,
   * so several are in progress at once as in a real gateway.
   */
  private static final class Traffic {
    long now = 1_000 * MS;
    final Map<String, Long> latency = new HashMap<>();
    final Map<String, Boolean> failing = new HashMap<>();
    private final PriorityQueue<long[]> inFlight = new PriorityQueue<>((x, y) -> Long.compare(x[0], y[0]));
    private final Map<Long, Endpoint> tries = new HashMap<>();
    private long ids;

    Shares run(Balancer balancer, int requests) {
      Shares shares = new Shares();
      for (int i = 0; i < requests; i++) {
        now += MS;
        while (!inFlight.isEmpty() && inFlight.peek()[0] <= now) {
          long[] done = inFlight.poll();
          Endpoint endpoint = tries.remove(done[1]);
          balancer.finished(endpoint, done[2], failing.getOrDefault(endpoint.host(), false));
        }
        Endpoint picked = balancer.pick(null);
        balancer.started(picked);
        long took = latency.getOrDefault(picked.host(), 10 * MS);
        long id = ids++;
        tries.put(id, picked);
        inFlight.add(new long[] {now + took, id, took});
        shares.add(picked);
      }
      return shares;
    }
  }

  private PeakEwmaBalancer balancer(Traffic traffic, List<Endpoint> endpoints, Balancer previous) {
    return new PeakEwmaBalancer(endpoints, previous, () -> traffic.now, PeakEwmaBalancer.DEFAULT_TAU_NANOS);
  }

  @Test
  void aSlowEndpointIsShunnedAndWinsItsShareBackWhenItRecovers() {
    Traffic traffic = new Traffic();
    traffic.latency.put("slow", 100 * MS); // ten times the others' 10 ms
    PeakEwmaBalancer balancer = balancer(traffic, List.of(a, b, slow), null);

    traffic.run(balancer, 5_000); // warm-up: 5 s
    Shares shunned = traffic.run(balancer, 10_000);

    assertThat(shunned.percent("slow")).as(shunned.toString()).isLessThan(10);

    traffic.latency.put("slow", 10 * MS);
    traffic.run(balancer, 60_000); // a minute: six time constants
    Shares recovered = traffic.run(balancer, 10_000);

    assertThat(recovered.percent("slow")).as(recovered.toString()).isGreaterThan(20);
  }

  @Test
  void anEndpointThatFailsFastDoesNotLookFast() {
    Traffic traffic = new Traffic();
    traffic.latency.put("slow", 1 * MS);
    traffic.failing.put("slow", true); // refuses connections at once
    PeakEwmaBalancer balancer = balancer(traffic, List.of(a, b, slow), null);

    traffic.run(balancer, 2_000);
    Shares shares = traffic.run(balancer, 10_000);

    assertThat(shares.percent("slow")).as(shares.toString()).isLessThan(10);
    assertThat(balancer.estimate(slow)).isGreaterThan(balancer.estimate(a));
  }

  @Test
  void aPeakIsTakenAtOnceAndDecaysWithTheTimeConstant() {
    long[] now = {0};
    PeakEwmaBalancer balancer = new PeakEwmaBalancer(List.of(a, b), null, () -> now[0], 10_000 * MS);

    balancer.finished(a, 10 * MS, false);
    balancer.finished(a, 100 * MS, false);
    assertThat(balancer.estimate(a)).isEqualTo(100.0 * MS);

    now[0] += 10_000 * MS; // one time constant later the estimate is down to 1/e
    assertThat(balancer.estimate(a) / MS).isCloseTo(100 / Math.E, within(0.01));

    balancer.finished(a, 10 * MS, false); // the sample weighs 1 − 1/e after that silence
    assertThat(balancer.estimate(a) / MS).isCloseTo(100 / Math.E + 10 * (1 - 1 / Math.E), within(0.01));
  }

  @Test
  void aNewEndpointStartsAtTheTypicalLatencySoItIsProbed() {
    Traffic traffic = new Traffic();
    traffic.latency.put("slow", 100 * MS);
    PeakEwmaBalancer first = balancer(traffic, List.of(a, b, slow), null);
    traffic.run(first, 3_000);
    Endpoint fresh = Endpoint.of("fresh", 80);

    PeakEwmaBalancer second = balancer(traffic, List.of(a, b, slow, fresh), first);
    Shares shares = traffic.run(second, 3_000);

    assertThat(second.estimate(fresh)).isBetween(8.0 * MS, 20.0 * MS); // the typical latency: mostly a and b
    assertThat(shares.percent("fresh")).as(shares.toString()).isGreaterThan(15);
  }

  @Test
  void estimatesAndCountsSurviveANewList() {
    Traffic traffic = new Traffic();
    traffic.latency.put("slow", 100 * MS);
    PeakEwmaBalancer first = balancer(traffic, List.of(a, b, slow), null);
    traffic.run(first, 3_000);
    first.started(slow);
    double slowEstimate = first.estimate(slow);

    Endpoint sameSlow = Endpoint.of("slow", 80);
    PeakEwmaBalancer second = balancer(traffic, List.of(b, sameSlow, Endpoint.of("c", 80)), first);

    assertThat(second.estimate(sameSlow)).isEqualTo(slowEstimate).isGreaterThan(50.0 * MS);
    assertThat(second.active(sameSlow)).isEqualTo(first.active(slow)).isPositive();
    Shares shares = traffic.run(second, 5_000);
    assertThat(shares.percent("slow")).as(shares.toString()).isLessThan(10);
  }
}
