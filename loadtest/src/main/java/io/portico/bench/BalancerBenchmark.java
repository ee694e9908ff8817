package io.portico.bench;

import io.portico.balance.Balancer;
import io.portico.balance.BalancerFactory;
import io.portico.balance.Balancers;
import io.portico.spi.Endpoint;
import io.portico.testkit.TestExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of balancing one try on one event loop, for every balancer over 3, 100 and 1,000 endpoints
 * of mixed weights: the pick, then the start and end of the try that the stateful balancers count
 * ({@code pickStartFinish}). Consistent hashing reads an {@code X-User} header from one of 1,024
 * requests. {@code buildHashRing} is the one-off cost of a consistent-hash ring for a new endpoint
 * list (shared by all loops). Run: {@code java -jar loadtest/target/benchmarks.jar BalancerBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BalancerBenchmark {
  private static final int REQUESTS = 1024;

  static List<Endpoint> endpoints(int count) {
    List<Endpoint> endpoints = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      endpoints.add(new Endpoint("10.0." + (i / 250) + "." + (i % 250), 8080, 1 + i % 3, null, true, Map.of()));
    }
    return List.copyOf(endpoints);
  }

  /** One loop's balancer and a rotation of requests. */
  @State(Scope.Thread)
  public static class Picking {
    @Param({"round-robin", "weighted-round-robin", "random", "least-request", "peak-ewma", "consistent-hash"})
    String balancer;

    @Param({"3", "100", "1000"})
    int endpoints;

    Balancer instance;
    TestExchange[] requests;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      instance = Balancers.factory(balancer, "header:X-User", "bench").create(endpoints(endpoints), null);
      requests = new TestExchange[REQUESTS];
      for (int i = 0; i < REQUESTS; i++) {
        requests[i] = new TestExchange().routeName("bench").clientIp("192.0.2." + (i % 250));
        requests[i].requestHeaders().add("X-User", "user-" + i);
      }
    }

    TestExchange nextRequest() {
      next = (next + 1) & (REQUESTS - 1);
      return requests[next];
    }
  }

  /** Endpoint lists for building rings. */
  @State(Scope.Thread)
  public static class Building {
    @Param({"3", "100", "1000"})
    int endpoints;

    List<Endpoint> list;

    @Setup(Level.Trial)
    public void setUp() {
      list = endpoints(endpoints);
    }
  }

  @Benchmark
  public Endpoint pickStartFinish(Picking state) {
    Balancer balancer = state.instance;
    Endpoint endpoint = balancer.pick(state.nextRequest());
    balancer.started(endpoint);
    balancer.finished(endpoint, 1_000_000, false);
    return endpoint;
  }

  @Benchmark
  public Balancer buildHashRing(Building state) {
    // a new factory remembers no ring, so this builds one
    BalancerFactory factory = Balancers.factory("consistent-hash", "header:X-User", "bench");
    return factory.create(state.list, null);
  }
}
