package io.portico.bench;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.portico.plugins.observability.MetricsConfig;
import io.portico.plugins.observability.MetricsPluginFactory;
import io.portico.spi.ExchangeLog;
import io.portico.spi.Key;
import io.portico.spi.Plugin;
import io.portico.testkit.TestPluginContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
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
 * Cost of the metrics plugin per exchange: its {@code onComplete} on a route whose chain is the
 * full one (jwt-auth, rate-limit, circuit-breaker, metrics), recording into the Prometheus registry
 * the gateway serves: the request and upstream timers, one plugin timer per plugin of the chain and
 * three counters. Beside it one record of the plugin's request timer alone, and the plugin on a
 * route whose chain is the metrics plugin only. Run: {@code java -jar loadtest/target/benchmarks.jar Metrics}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class MetricsBenchmark {
  private static final List<String> FULL_CHAIN = List.of("jwt-auth", "rate-limit", "circuit-breaker", "metrics");

  private Vertx vertx;
  private PrometheusMeterRegistry registry;
  private Plugin fullChain;
  private Plugin alone;
  private Timer timer;
  private final ExchangeLog fullChainLog = new FinishedExchange(FULL_CHAIN);
  private final ExchangeLog aloneLog = new FinishedExchange(List.of("metrics"));
  private long nanos;

  @Setup
  public void setUp() {
    vertx = Vertx.vertx();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    fullChain = new MetricsPluginFactory().create(new MetricsConfig(null), context("full", FULL_CHAIN));
    alone = new MetricsPluginFactory().create(new MetricsConfig(null), context("alone", List.of("metrics")));
    timer = registry.get("portico.request.duration").tag("route", "alone").timer();
  }

  private TestPluginContext context(String route, List<String> chain) {
    return new TestPluginContext(vertx).routeName(route).chainPluginNames(chain).meterRegistry(registry);
  }

  @TearDown
  public void tearDown() {
    vertx.close().await();
  }

  /** One exchange of the full chain, as the plugin records it. */
  @Benchmark
  public void onCompleteFullChain() {
    fullChain.onComplete(fullChainLog);
  }

  /** One exchange of a route with the metrics plugin only (one plugin timer). */
  @Benchmark
  public void onCompleteAlone() {
    alone.onComplete(aloneLog);
  }

  /** One record of the plugin's request timer: the unit the plugin pays per timer. */
  @Benchmark
  public void oneTimerRecord() {
    timer.record(1_200_000 + (++nanos & 1023), TimeUnit.NANOSECONDS);
  }

  /** A finished 200 exchange of about 1.2 ms, a few microseconds in each plugin. */
  private static final class FinishedExchange implements ExchangeLog {
    private final List<String> plugins;

    FinishedExchange(List<String> plugins) {
      this.plugins = plugins;
    }

    @Override public String requestId() { return "bench-1"; }
    @Override public String routeName() { return "bench"; }
    @Override public String upstreamName() { return "backend"; }
    @Override public String endpoint() { return "127.0.0.1:8081"; }
    @Override public HttpMethod method() { return HttpMethod.GET; }
    @Override public String path() { return "/items/1"; }
    @Override public int status() { return 200; }
    @Override public String errorCode() { return null; }
    @Override public long startEpochMillis() { return 1_765_000_000_000L; }
    @Override public long durationNanos() { return 1_200_000; }
    @Override public long upstreamDurationNanos() { return 1_000_000; }
    @Override public int attempts() { return 1; }
    @Override public long bytesReceived() { return 0; }
    @Override public long bytesSent() { return 2; }
    @Override public String clientIp() { return "127.0.0.1"; }
    @Override public String consumer() { return null; }
    @Override public <T> T get(Key<T> key) { return null; }
    @Override public List<String> pluginNames() { return plugins; }
    @Override public long pluginNanos(int index) { return 1_500 + 500L * index; }
  }
}
