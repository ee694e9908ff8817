package io.portico.bench;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.portico.plugins.ratelimit.RateLimitConfig;
import io.portico.plugins.ratelimit.RateLimitPluginFactory;
import io.portico.spi.Decision;
import io.portico.spi.Plugin;
import io.portico.testkit.TestExchange;
import io.portico.testkit.TestPluginContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one local acquire in the rate-limit plugin: key, bucket lookup in the bounded cache,
 * token, verdict and the three {@code RateLimit-*} headers, through the public plugin API; and the
 * bare Bucket4j token underneath for comparison. The limits are large enough never to run out:
 * this measures admissions. Run: {@code java -jar loadtest/target/benchmarks.jar RateLimit}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RateLimitBenchmark {
  private static final long CAPACITY = 100_000_000_000L; // 10^8 a second: never empty here
  private static final int CLIENTS = 1024;

  private Vertx vertx;
  private Bucket bucket;
  private Plugin routeLimit;
  private Plugin clientLimit;
  private Plugin routeLimitNoHeaders;
  private TestExchange oneClient;
  private TestExchange[] clients;
  private int next;

  @Setup
  public void setUp() {
    vertx = Vertx.vertx();
    bucket = Bucket.builder().addLimit(l -> l.capacity(CAPACITY).refillGreedy(CAPACITY, Duration.ofSeconds(1000))).build();
    routeLimit = plugin("route", true);
    clientLimit = plugin("client-ip", true);
    routeLimitNoHeaders = plugin("route", false);
    oneClient = new TestExchange().routeName("bench").clientIp("10.0.0.1");
    clients = new TestExchange[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
      clients[i] = new TestExchange().routeName("bench").clientIp("10.0." + (i >> 8) + "." + (i & 255));
    }
  }

  private Plugin plugin(String key, boolean headers) {
    RateLimitConfig config = new RateLimitConfig(key,
        List.of(new RateLimitConfig.Limit(CAPACITY, Duration.ofSeconds(1000), null)),
        null, headers, null, null, null, null, null, null);
    return new RateLimitPluginFactory().create(config, new TestPluginContext(vertx).routeName("bench"));
  }

  @TearDown
  public void tearDown() {
    vertx.close().await();
  }

  @Benchmark
  public ConsumptionProbe bucket4jToken() {
    return bucket.tryConsumeAndReturnRemaining(1);
  }

  @Benchmark
  public Future<Decision> pluginAcquireRouteKey() {
    return routeLimit.onRequest(oneClient);
  }

  /** The same without {@code RateLimit-*} headers: what the three header writes cost. */
  @Benchmark
  public Future<Decision> pluginAcquireRouteKeyNoHeaders() {
    return routeLimitNoHeaders.onRequest(oneClient);
  }

  @Benchmark
  public Future<Decision> pluginAcquireClientIpKey() {
    TestExchange exchange = clients[next++ & (CLIENTS - 1)];
    return clientLimit.onRequest(exchange);
  }
}
