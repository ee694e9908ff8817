package io.portico.bench;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one local token acquisition, the rate-limit plugin's hot path (a Bucket4j local bucket
 * with the probe the plugin reads its headers from). Run:
 * {@code java -jar loadtest/target/benchmarks.jar RateLimit}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RateLimitBenchmark {
  private Bucket bucket;

  @Setup
  public void setUp() {
    // large enough never to run empty: the benchmark measures the acquisition, not rejections
    bucket = Bucket.builder().addLimit(l -> l.capacity(Long.MAX_VALUE / 2).refillGreedy(1_000_000_000L, Duration.ofSeconds(1))).build();
  }

  @Benchmark
  public ConsumptionProbe localAcquire() {
    return bucket.tryConsumeAndReturnRemaining(1);
  }
}
