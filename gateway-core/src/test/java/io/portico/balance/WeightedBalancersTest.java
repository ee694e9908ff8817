package io.portico.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.portico.spi.Endpoint;
import io.portico.testkit.TestExchange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The balancers that honour weights give each endpoint its share of traffic when there is no load. */
class WeightedBalancersTest {
  private static final List<Endpoint> ENDPOINTS = List.of(
      new Endpoint("light", 80, 1, null, true, Map.of()),
      new Endpoint("medium", 80, 2, null, true, Map.of()),
      new Endpoint("heavy", 80, 7, null, true, Map.of()));

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"weighted-round-robin", "random", "least-request"})
  void picksFollowWeightsOneTwoSeven(String name) {
    Balancer balancer = Balancers.factory(name, "app").create(ENDPOINTS, null);
    Shares shares = new Shares();

    for (int i = 0; i < 10_000; i++) {
      Endpoint picked = balancer.pick(null);
      balancer.started(picked);
      balancer.finished(picked, 1_000_000, false); // each try ends before the next pick
      shares.add(picked);
    }

    // 10,000 draws: one standard deviation of a share is below half a point; 5 points never flake
    assertThat(shares.percent("light")).as(shares.toString()).isCloseTo(10, within(5.0));
    assertThat(shares.percent("medium")).as(shares.toString()).isCloseTo(20, within(5.0));
    assertThat(shares.percent("heavy")).as(shares.toString()).isCloseTo(70, within(5.0));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"random", "least-request", "peak-ewma"})
  void equalWeightsSpreadEvenly(String name) {
    List<Endpoint> endpoints = List.of(Endpoint.of("a", 80), Endpoint.of("b", 80), Endpoint.of("c", 80), Endpoint.of("d", 80));
    Balancer balancer = Balancers.factory(name, "app").create(endpoints, null);
    Shares shares = new Shares();

    for (int i = 0; i < 10_000; i++) {
      Endpoint picked = balancer.pick(null);
      balancer.started(picked);
      balancer.finished(picked, 0, false); // no latency either: nothing tells the endpoints apart
      shares.add(picked);
    }

    for (String host : List.of("a", "b", "c", "d")) {
      assertThat(shares.percent(host)).as(shares.toString()).isCloseTo(25, within(5.0));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"weighted-round-robin", "random", "least-request", "peak-ewma", "consistent-hash"})
  void aSingleEndpointIsAlwaysPicked(String name) {
    Endpoint only = Endpoint.of("only", 80);
    Balancer balancer = Balancers.factory(name, "header:X-User", "app").create(List.of(only), null);

    for (int i = 0; i < 100; i++) {
      assertThat(balancer.pick(new TestExchange().header("X-User", "u" + i))).isSameAs(only);
    }
  }
}
