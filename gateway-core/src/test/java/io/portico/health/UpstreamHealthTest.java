package io.portico.health;

import io.portico.endpoint.EndpointState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portico.balance.Balancers;
import io.portico.config.OutlierConfig;
import io.portico.config.UpstreamConfig;
import io.portico.endpoint.EndpointSet;
import io.portico.spi.Endpoint;
import io.portico.testing.Await;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who serves as endpoints fail, get ejected, come back, fail checks or ramp up. */
class UpstreamHealthTest {
  final Vertx vertx = Vertx.vertx();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final AtomicReference<EndpointSet> published = new AtomicReference<>();

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  static List<Endpoint> endpoints(int count) {
    List<Endpoint> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(new Endpoint("127.0.0.1", 9000 + i, 1, null, true, Map.of()));
    }
    return list;
  }

  UpstreamHealth health(String balancer, OutlierConfig outlier, Integer panic, Duration slowStart, List<Endpoint> endpoints) {
    UpstreamConfig config = new UpstreamConfig("app", null, null, balancer, null, null, null, null, outlier, panic, slowStart);
    UpstreamHealth health = new UpstreamHealth(config, Balancers.factory(balancer, "app"), 1, vertx, registry, published::set);
    health.endpoints(endpoints);
    return health;
  }

  static OutlierConfig outlier(int failures, Duration ejection, int maxPercent) {
    return new OutlierConfig(failures, ejection, null, maxPercent, List.of(503));
  }

  EndpointState state(UpstreamHealth health, int port) {
    return health.states().stream().filter(s -> s.endpoint().port() == port).findFirst().orElseThrow();
  }

  @Test
  void consecutiveFailuresEjectForGrowingTimesAndSuccessResetsTheCount() {
    UpstreamHealth health = health("round-robin", outlier(3, Duration.ofMillis(200), 50), null, null, endpoints(4));
    EndpointState first = state(health, 9000);

    health.failed(first);
    health.failed(first);
    health.answered(first, 200); // a success ends the run
    health.failed(first);
    health.failed(first);
    assertThat(first.ejected()).isFalse();
    health.answered(first, 503); // a configured status counts as a failure
    assertThat(first.ejected()).isTrue();
    assertThat(published.get().servingCount()).isEqualTo(3);
    assertThat(registry.get("portico.upstream.ejections").counter().count()).isEqualTo(1.0);

    await().atMost(Duration.ofSeconds(5)).until(() -> !first.ejected());
    assertThat(published.get().servingCount()).isEqualTo(4);
    for (int i = 0; i < 3; i++) {
      health.failed(first);
    }
    long second = first.ejectedUntilMillis() - System.currentTimeMillis();
    assertThat(first.timesEjected()).isEqualTo(2);
    assertThat(second).as("the second ejection lasts twice the base").isGreaterThan(200);
  }

  @Test
  void noMoreThanTheMaximumShareIsEjected() {
    UpstreamHealth health = health("round-robin", outlier(1, Duration.ofSeconds(30), 50), null, null, endpoints(4));
    for (EndpointState state : health.states()) {
      health.failed(state);
    }
    assertThat(health.states()).filteredOn(EndpointState::ejected).hasSize(2);
    assertThat(published.get().servingCount()).isEqualTo(2);
  }

  @Test
  void oneEndpointMayAlwaysBeEjected() {
    UpstreamHealth health = health("round-robin", outlier(1, Duration.ofSeconds(30), 10), null, null, endpoints(2));
    health.failed(state(health, 9000));
    assertThat(state(health, 9000).ejected()).isTrue();
    health.failed(state(health, 9001));
    assertThat(state(health, 9001).ejected()).isFalse();
  }

  @Test
  void theOnlyEndpointOfAnUpstreamIsNeverEjected() {
    UpstreamHealth health = health("round-robin", outlier(3, Duration.ofSeconds(30), 100), null, null, endpoints(1));
    EndpointState only = state(health, 9000);
    for (int i = 0; i < 20; i++) {
      health.failed(only); // answers that time out, one after another
    }
    assertThat(only.ejected()).isFalse();
    assertThat(published.get().servingCount()).isEqualTo(1);
    assertThat(registry.get("portico.upstream.ejections").counter().count()).isZero();
  }

  @Test
  void theLastEndpointStillServingIsNotEjected() {
    UpstreamHealth health = health("round-robin", outlier(1, Duration.ofSeconds(30), 100), null, null, endpoints(3));
    health.checked(state(health, 9000), false, "refused", 1, 1);
    health.failed(state(health, 9001));
    assertThat(state(health, 9001).ejected()).as("one of three may go").isTrue();
    health.failed(state(health, 9002));
    assertThat(state(health, 9002).ejected()).as("the only one left serving stays").isFalse();
    assertThat(published.get().servingCount()).isEqualTo(1);
  }

  @Test
  void checksTakeAnEndpointOutAfterTheThresholdAndBackAfterPasses() {
    UpstreamHealth health = health("round-robin", null, null, null, endpoints(2));
    EndpointState state = state(health, 9001);

    health.checked(state, false, "500", 2, 3);
    health.checked(state, false, "500", 2, 3);
    assertThat(state.checkedHealthy()).isTrue();
    health.checked(state, false, "500", 2, 3);
    assertThat(state.checkedHealthy()).isFalse();
    assertThat(published.get().servingCount()).isEqualTo(1);
    assertThat(published.get().pick(0, null).port()).isEqualTo(9000);

    health.checked(state, true, "200", 2, 3);
    assertThat(state.checkedHealthy()).isFalse();
    health.checked(state, true, "200", 2, 3);
    assertThat(state.checkedHealthy()).isTrue();
    assertThat(published.get().servingCount()).isEqualTo(2);
  }

  @Test
  void belowThePanicThresholdEveryReadyEndpointServes() {
    UpstreamHealth health = health("round-robin", null, 50, null, endpoints(3));
    health.checked(state(health, 9000), false, "timeout", 1, 1);
    assertThat(health.panic()).isFalse();
    assertThat(published.get().servingCount()).isEqualTo(2);

    health.checked(state(health, 9001), false, "timeout", 1, 1);
    assertThat(health.panic()).isTrue();
    assertThat(published.get().servingCount()).isEqualTo(3);

    health.checked(state(health, 9001), true, "200", 1, 1);
    assertThat(health.panic()).isFalse();
    assertThat(published.get().servingCount()).isEqualTo(2);
  }

  @Test
  void withoutPanicModeNoHealthyEndpointMeansNoneServes() {
    UpstreamHealth health = health("round-robin", null, null, null, endpoints(2));
    health.checked(state(health, 9000), false, "refused", 1, 1);
    health.checked(state(health, 9001), false, "refused", 1, 1);
    assertThat(published.get().servingCount()).isZero();
    assertThat(published.get().pick(0, null)).isNull();
  }

  @Test
  void anEndpointBackFromEjectionRampsUpOverTheSlowStartWindow() {
    UpstreamHealth health = health("weighted-round-robin", null, null, Duration.ofSeconds(2), endpoints(2));
    EndpointState state = state(health, 9001);
    health.checked(state, false, "500", 1, 1);
    health.checked(state, true, "200", 1, 1); // back: its share starts low

    Map<Integer, Integer> early = picks(1000);
    assertThat(early.getOrDefault(9001, 0)).isLessThan(250);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      Map<Integer, Integer> later = picks(1000);
      return later.getOrDefault(9001, 0) == 500;
    });
  }

  @Test
  void newEndpointsKeepTheStateOfTheSameAddress() {
    UpstreamHealth health = health("round-robin", null, null, null, endpoints(2));
    health.checked(state(health, 9001), false, "500", 1, 1);
    List<Endpoint> more = new ArrayList<>(endpoints(3));
    health.endpoints(more);
    assertThat(state(health, 9001).checkedHealthy()).isFalse();
    assertThat(published.get().servingCount()).isEqualTo(2);
    assertThat(published.get().endpoints()).hasSize(3);
  }

  private Map<Integer, Integer> picks(int count) {
    EndpointSet set = published.get();
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < count; i++) {
      counts.merge(set.pick(0, null).port(), 1, Integer::sum);
    }
    return counts;
  }
}
