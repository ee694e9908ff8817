package io.portico.bench;

import io.portico.config.MatchConfig;
import io.portico.config.RouteConfig;
import io.portico.route.RouteEntry;
import io.portico.route.RouteMatch;
import io.portico.route.RouteRequest;
import io.portico.route.RouteTable;
import io.vertx.core.http.HttpMethod;
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
 * Cost of one route lookup in tables of 10, 1,000 and 10,000 host + prefix routes. Run:
 * {@code java -jar loadtest/target/benchmarks.jar RouteTable}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RouteTableBenchmark {

  @Param({"10", "1000", "10000"})
  int routes;

  private RouteTable<String> table;
  private Request[] requests;
  private int next;

  record Request(String host, String path) implements RouteRequest {
    @Override
    public HttpMethod method() {
      return HttpMethod.GET;
    }

    @Override
    public String header(String name) {
      return null;
    }

    @Override
    public String queryParam(String name) {
      return null;
    }
  }

  @Setup(Level.Trial)
  public void build() {
    List<RouteEntry<String>> entries = new ArrayList<>();
    int hosts = Math.max(1, routes / 100);
    for (int i = 0; i < routes; i++) {
      MatchConfig match = new MatchConfig(List.of("h" + (i % hosts) + ".example.com"), null, "/svc" + i + "/api", null, null, null, null);
      entries.add(new RouteEntry<>(new RouteConfig("r" + i, match, 0, "u", false, null, null, null, null, Map.of()), "r" + i));
    }
    table = RouteTable.compile(entries);
    requests = new Request[1024];
    for (int i = 0; i < requests.length; i++) {
      int r = (int) ((long) i * 7919 % routes);
      requests[i] = new Request("h" + (r % hosts) + ".example.com", "/svc" + r + "/api/items/" + i);
    }
  }

  @Benchmark
  public RouteMatch<String> match() {
    Request request = requests[next++ & (requests.length - 1)];
    return table.match(request);
  }
}
