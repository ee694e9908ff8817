package io.portico.bench;

import io.portico.route.PathNormalizer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Cost of normalising a clean path (the common case) and a dirty one. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class PathNormalizerBenchmark {
  String clean = "/api/v1/users/12345/orders";
  String dirty = "/api/v1/./users/%7Ebob/../12345//orders";

  @Benchmark
  public String cleanPath() {
    return PathNormalizer.normalize(clean);
  }

  @Benchmark
  public String dirtyPath() {
    return PathNormalizer.normalize(dirty);
  }
}
