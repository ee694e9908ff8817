package io.portico.plugins.ratelimit;

import io.portico.spi.Decision;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Offers requests at a fixed pace for a bounded time and counts what was admitted. */
final class Load {
  private Load() {}

  static int offer(int perSecond, Duration duration, Supplier<Future<Decision>> request) throws Exception {
    long interval = 1_000_000_000L / perSecond;
    long count = duration.toNanos() / interval;
    long start = System.nanoTime();
    List<Future<Decision>> answers = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      long due = start + i * interval;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      answers.add(request.get());
    }
    int admitted = 0;
    for (Future<Decision> answer : answers) {
      Decision decision = answer.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (decision == Decision.next()) {
        admitted++;
      }
    }
    return admitted;
  }

  /** Takes tokens until the bucket refuses, so a measurement starts from an empty bucket. */
  static void drain(Supplier<Future<Decision>> request) throws Exception {
    for (int i = 0; i < 1_000_000; i++) {
      Decision d = request.get().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (d != Decision.next()) {
        return;
      }
    }
    throw new IllegalStateException("bucket never ran empty");
  }
}
