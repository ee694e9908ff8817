package io.portico.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.portico.spi.Endpoint;
import io.portico.testkit.TestExchange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConsistentHashBalancerTest {
  private static final int KEYS = 10_000;

  private static List<Endpoint> endpoints(int count) {
    return IntStream.range(0, count).mapToObj(i -> Endpoint.of("10.0.0." + i, 8080)).toList();
  }

  private static String[] owners(Balancer balancer) {
    String[] owners = new String[KEYS];
    for (int k = 0; k < KEYS; k++) {
      owners[k] = balancer.pick(new TestExchange().header("X-User", "user-" + k)).host();
    }
    return owners;
  }

  @Test
  void removingOneOfTenEndpointsMovesOnlyItsKeysAndAddingItBackRestoresThem() {
    BalancerFactory factory = Balancers.factory("consistent-hash", "header:X-User", "app");
    List<Endpoint> all = endpoints(10);
    List<Endpoint> withoutFour = new ArrayList<>(all);
    withoutFour.remove(4);

    String[] before = owners(factory.create(all, null));
    String[] after = owners(factory.create(withoutFour, null));
    String[] restored = owners(factory.create(endpoints(10), null)); // new records, same addresses

    int moved = 0;
    for (int k = 0; k < KEYS; k++) {
      if (!before[k].equals(after[k])) {
        moved++;
        assertThat(before[k]).as("only keys of the removed endpoint move").isEqualTo("10.0.0.4");
      }
    }
    assertThat(moved).isPositive().isLessThanOrEqualTo(KEYS * 15 / 100);
    assertThat(restored).containsExactly(before);
  }

  @Test
  void keysSpreadByWeight() {
    List<Endpoint> weighted = List.of(
        new Endpoint("light", 80, 1, null, true, Map.of()),
        new Endpoint("medium", 80, 2, null, true, Map.of()),
        new Endpoint("heavy", 80, 7, null, true, Map.of()));
    Balancer balancer = Balancers.factory("consistent-hash", "header:X-User", "app").create(weighted, null);
    Shares shares = new Shares();

    for (int k = 0; k < KEYS; k++) {
      shares.add(balancer.pick(new TestExchange().header("X-User", "user-" + k)));
    }

    assertThat(shares.percent("light")).as(shares.toString()).isCloseTo(10, within(5.0));
    assertThat(shares.percent("medium")).as(shares.toString()).isCloseTo(20, within(5.0));
    assertThat(shares.percent("heavy")).as(shares.toString()).isCloseTo(70, within(5.0));
  }

  static List<Arguments> keySources() {
    return List.of(
        Arguments.of("header:X-User", (Function<String, TestExchange>) key -> new TestExchange().header("x-user", key)),
        Arguments.of("cookie:session", (Function<String, TestExchange>) key ->
            new TestExchange().header("Cookie", "theme=dark; session=" + key + "; lang=en")),
        Arguments.of("query:tenant", (Function<String, TestExchange>) key -> new TestExchange().query("tenant", key)),
        Arguments.of("client-ip", (Function<String, TestExchange>) key -> new TestExchange().clientIp(key)),
        Arguments.of("path", (Function<String, TestExchange>) key -> new TestExchange().path("/items/" + key)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keySources")
  void theKeyComesFromTheConfiguredSource(String hashKey, Function<String, TestExchange> request) {
    Balancer balancer = Balancers.factory("consistent-hash", hashKey, "app").create(endpoints(10), null);
    Set<String> used = new HashSet<>();

    for (int k = 0; k < 200; k++) {
      String key = "k" + k;
      Endpoint first = balancer.pick(request.apply(key));
      for (int again = 0; again < 5; again++) {
        // everything else about the request varies; the key alone decides
        TestExchange other = request.apply(key).header("X-Other", "v" + again);
        if (!hashKey.equals("client-ip")) {
          other.clientIp("198.51.100." + again);
        }
        if (!hashKey.equals("path")) {
          other.path("/other/" + again);
        }
        assertThat(balancer.pick(other)).as(key).isSameAs(first);
      }
      used.add(first.host());
    }

    assertThat(used).as("200 keys spread over the endpoints").hasSizeGreaterThanOrEqualTo(8);
  }

  @Test
  void aRequestWithoutTheKeyGoesToARandomEndpoint() {
    Balancer balancer = Balancers.factory("consistent-hash", "cookie:session", "app").create(endpoints(3), null);
    Shares shares = new Shares();

    for (int i = 0; i < 3_000; i++) {
      TestExchange exchange = switch (i % 4) {
        case 0 -> new TestExchange();
        case 1 -> new TestExchange().header("Cookie", "theme=dark");
        case 2 -> new TestExchange().header("Cookie", "session=");
        default -> new TestExchange().header("Cookie", "xsession=1; session_id=2");
      };
      shares.add(balancer.pick(exchange));
    }

    for (int i = 0; i < 3; i++) {
      assertThat(shares.percent("10.0.0." + i)).as(shares.toString()).isCloseTo(33.3, within(8.0));
    }
  }

  @Test
  void oneRingServesEveryLoopOfAList() {
    ConsistentHashFactory factory = (ConsistentHashFactory) Balancers.factory("consistent-hash", "path", "app");
    List<Endpoint> list = List.copyOf(endpoints(100));

    HashRing ring = factory.ring(list);

    assertThat(factory.ring(list)).isSameAs(ring);
    assertThat(factory.ring(new ArrayList<>(endpoints(100)))).as("an equal list").isSameAs(ring);
    assertThat(factory.ring(endpoints(99))).isNotSameAs(ring);
    assertThat(ring.size()).isEqualTo(100 * HashRing.POINTS_PER_UNIT);
  }

  @Test
  void aThousandEndpointsStayWithinTheRingCapAndStillSpread() {
    List<Endpoint> many = endpoints(250).stream()
        .flatMap(e -> IntStream.range(0, 4).mapToObj(p -> Endpoint.of(e.host(), 8080 + p)))
        .toList();
    HashRing ring = HashRing.build(many);
    Map<Endpoint, Integer> counts = new HashMap<>();

    for (int k = 0; k < 100_000; k++) {
      counts.merge(ring.lookup(Hash64.of("user-" + k)), 1, Integer::sum);
    }

    assertThat(ring.size()).isLessThanOrEqualTo(HashRing.MAX_POINTS + many.size());
    assertThat(counts).hasSize(1000); // 100 keys each on average
    assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(30, 250));
  }

  @Test
  void aKeyGoesToTheOwnerOfTheFirstPointAtOrAfterIt() {
    for (int size : new int[] {1, 3, 100, 1000}) {
      HashRing ring = HashRing.build(endpoints(size).stream().map(e -> Endpoint.of(e.host(), 80 + size)).toList());
      long[] points = new long[ring.size()];
      for (int i = 0; i < points.length; i++) {
        points[i] = ring.point(i);
      }
      SplittableRandom random = new SplittableRandom(size);
      for (int k = 0; k < 20_000; k++) {
        long hash = k % 4 == 0 ? points[random.nextInt(points.length)] + random.nextInt(3) - 1 : random.nextLong();
        int expected = Arrays.binarySearch(points, hash);
        expected = expected < 0 ? -expected - 1 : expected;
        assertThat(ring.lookup(hash)).as("size %d hash %d", size, hash).isSameAs(ring.owner(expected % points.length));
      }
      assertThat(ring.lookup(Long.MAX_VALUE)).as("wraps round").isSameAs(ring.owner(0));
      assertThat(ring.lookup(Long.MIN_VALUE)).isSameAs(ring.owner(0));
    }
  }

  @Test
  void weightsInCommonUnitsGiveTheSameRing() {
    List<Endpoint> hundreds = List.of(new Endpoint("a", 80, 100, null, true, Map.of()), new Endpoint("b", 80, 300, null, true, Map.of()));
    List<Endpoint> units = List.of(new Endpoint("a", 80, 1, null, true, Map.of()), new Endpoint("b", 80, 3, null, true, Map.of()));

    assertThat(HashRing.build(hundreds).size()).isEqualTo(HashRing.build(units).size()).isEqualTo(4 * HashRing.POINTS_PER_UNIT);
  }
}
