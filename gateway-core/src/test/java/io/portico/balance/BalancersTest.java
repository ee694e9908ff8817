package io.portico.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.endpoint.EndpointSet;
import io.portico.spi.Endpoint;
import io.portico.testkit.TestExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BalancersTest {
  static Endpoint endpoint(String host, int weight) {
    return new Endpoint(host, 80, weight, null, true, Map.of());
  }

  static List<String> picks(Balancer balancer, int count) {
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      hosts.add(balancer.pick(null).host());
    }
    return hosts;
  }

  @Test
  void roundRobinTakesEachInTurn() {
    Balancer balancer = new RoundRobinBalancer(List.of(endpoint("a", 1), endpoint("b", 5), endpoint("c", 1)), 0);

    assertThat(picks(balancer, 6)).containsExactly("a", "b", "c", "a", "b", "c");
  }

  @Test
  void smoothWeightedInterleavesByWeight() {
    Balancer balancer = new SmoothWeightedBalancer(List.of(endpoint("a", 5), endpoint("b", 1), endpoint("c", 1)));

    assertThat(picks(balancer, 7)).containsExactly("a", "a", "b", "a", "c", "a", "a");
    assertThat(picks(balancer, 700)).filteredOn("a"::equals).hasSize(500);
  }

  @Test
  void endpointsThatAreNotReadyAreNeverPicked() {
    Endpoint down = new Endpoint("down", 80, 1, null, false, Map.of());
    EndpointSet set = EndpointSet.of(List.of(endpoint("up", 1), down), Balancers.factory("round-robin", "app"), 2);

    assertThat(set.pick(0, null).host()).isEqualTo("up");
    assertThat(set.pick(1, null).host()).isEqualTo("up");
    assertThat(set.endpoints()).hasSize(2);
    assertThat(EndpointSet.of(List.of(down), Balancers.factory("round-robin", "app"), 1).pick(0, null)).isNull();
  }

  @Test
  void anUnknownBalancerFallsBackToRoundRobin() {
    BalancerFactory factory = Balancers.factory("no-such-balancer", "app");

    assertThat(factory.create(List.of(endpoint("a", 1)), null).pick(null).host()).isEqualTo("a");
    assertThat(Balancers.isKnown("weighted-round-robin")).isTrue();
  }

  @Test
  void everyBalancerOfTheConfigContractIsProvided() {
    assertThat(Balancers.names()).containsExactly(
        "round-robin", "weighted-round-robin", "least-request", "consistent-hash", "random", "peak-ewma");
    assertThat(Balancers.names()).allMatch(Balancers::isKnown);
  }

  @ParameterizedTest
  @ValueSource(strings = {"round-robin", "weighted-round-robin", "least-request", "consistent-hash", "random", "peak-ewma"})
  void eachBalancerPicksServingEndpointsOnEveryLoop(String name) {
    Endpoint down = new Endpoint("down", 80, 1, null, false, Map.of());
    List<Endpoint> endpoints = List.of(endpoint("a", 1), endpoint("b", 2), down, endpoint("c", 3));
    EndpointSet set = EndpointSet.of(endpoints, Balancers.factory(name, "header:X-User", "app"), 2);

    for (int loop = 0; loop < 2; loop++) {
      for (int i = 0; i < 100; i++) {
        TestExchange exchange = new TestExchange().header("X-User", "u" + i);
        Endpoint picked = set.pick(loop, exchange);
        set.balancer(loop).started(picked);
        set.balancer(loop).finished(picked, 1_000, false);
        assertThat(picked.host()).isIn("a", "b", "c");
      }
    }
  }

  @Test
  void consistentHashSendsAKeyToTheSameEndpointOnEveryLoop() {
    EndpointSet set = EndpointSet.of(List.of(endpoint("a", 1), endpoint("b", 1), endpoint("c", 1)),
        Balancers.factory("consistent-hash", "client-ip", "app"), 4);

    for (int i = 0; i < 50; i++) {
      TestExchange exchange = new TestExchange().clientIp("203.0.113." + i);
      Endpoint first = set.pick(0, exchange);
      for (int loop = 1; loop < 4; loop++) {
        assertThat(set.pick(loop, exchange)).isEqualTo(first);
      }
    }
  }
}
