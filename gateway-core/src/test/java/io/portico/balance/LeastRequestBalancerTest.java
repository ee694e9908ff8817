package io.portico.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.portico.spi.Endpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeastRequestBalancerTest {
  private final Endpoint a = Endpoint.of("a", 80);
  private final Endpoint b = Endpoint.of("b", 80);
  private final Endpoint c = Endpoint.of("c", 80);

  private static Shares pickAndFinish(Balancer balancer, int count) {
    Shares shares = new Shares();
    for (int i = 0; i < count; i++) {
      Endpoint picked = balancer.pick(null);
      balancer.started(picked);
      balancer.finished(picked, 1_000_000, false);
      shares.add(picked);
    }
    return shares;
  }

  @Test
  void anEndpointWithManyTriesInProgressGetsFewerPicks() {
    LeastRequestBalancer balancer = new LeastRequestBalancer(List.of(a, b, c), null);
    for (int i = 0; i < 50; i++) {
      balancer.started(a);
    }

    Shares shares = pickAndFinish(balancer, 3_000);

    // a is always one of two distinct candidates against an idle one, and always loses
    assertThat(shares.count("a")).as(shares.toString()).isZero();
    assertThat(shares.percent("b")).isCloseTo(50, within(5.0));
    assertThat(balancer.active(a)).isEqualTo(50);
  }

  @Test
  void loadIsComparedPerUnitOfWeight() {
    Endpoint big = new Endpoint("big", 80, 10, null, true, Map.of());
    Endpoint small = new Endpoint("small", 80, 1, null, true, Map.of());
    LeastRequestBalancer balancer = new LeastRequestBalancer(List.of(big, small), null);
    for (int i = 0; i < 5; i++) {
      balancer.started(big); // 5 tries on weight 10 is lighter than 1 on weight 1
    }
    balancer.started(small);

    Shares shares = pickAndFinish(balancer, 2_000);

    assertThat(shares.count("small")).as(shares.toString()).isLessThan(100); // only when every draw is small
  }

  @Test
  void triesInProgressSurviveANewListAndEndOnEitherBalancer() {
    LeastRequestBalancer first = new LeastRequestBalancer(List.of(a, b, c), null);
    for (int i = 0; i < 40; i++) {
      first.started(a);
    }
    first.started(b);
    Endpoint sameA = Endpoint.of("a", 80); // discovery built new records for the same instances
    Endpoint d = Endpoint.of("d", 80);

    LeastRequestBalancer second = new LeastRequestBalancer(List.of(sameA, d, c), first);

    assertThat(second.active(sameA)).isEqualTo(40);
    assertThat(second.active(d)).isZero();
    assertThat(pickAndFinish(second, 1_000).count("a")).isZero();
    for (int i = 0; i < 20; i++) {
      first.finished(a, 1, false); // tries that began on the old list may end on it
      second.finished(a, 1, false); // or on the new one, with the old list's record
    }
    assertThat(second.active(sameA)).isZero();
    assertThat(first.active(a)).isZero();
  }

  @Test
  void endsOfUnknownTriesNeverCountBelowZero() {
    LeastRequestBalancer balancer = new LeastRequestBalancer(List.of(a, b), null);

    balancer.finished(a, 1, true);
    balancer.finished(Endpoint.of("gone", 80), 1, false);
    balancer.started(Endpoint.of("gone", 80));
    balancer.finished(null, 1, false);

    assertThat(balancer.active(a)).isZero();
    assertThat(pickAndFinish(balancer, 1_000).percent("a")).isCloseTo(50, within(10.0));
  }

  @Test
  void theFactoryCarriesCountsOverThroughTheRegistry() {
    BalancerFactory factory = Balancers.factory("least-request", "app");
    Balancer first = factory.create(List.of(a, b), null);
    first.started(a);

    Balancer second = factory.create(List.of(a, b, c), first);

    assertThat(((LeastRequestBalancer) second).active(a)).isEqualTo(1);
  }
}
