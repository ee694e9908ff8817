package io.portico.plugins.ratelimit;

import io.portico.spi.Decision;
import io.portico.spi.Plugin;
import io.portico.testkit.TestExchange;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Offers requests to a plugin at a fixed pace for a bounded time, each on the plugin's event loop
 * as the gateway would call it, and counts what was admitted.
 */
record Load(Plugin plugin, Context context, Function<Context, TestExchange> exchanges) {

  Load(Plugin plugin, Context context) {
    this(plugin, context, TestExchange::new);
  }

  /** One request; its decision completes on the context. */
  Future<Decision> request() {
    return request(exchanges.apply(context));
  }

  /** This exchange, run through the plugin on the context. */
  Future<Decision> request(TestExchange exchange) {
    Promise<Decision> decision = Promise.promise();
    context.runOnContext(v -> plugin.onRequest(exchange).onComplete(decision));
    return decision.future();
  }

  /** Sends {@code perSecond} requests a second for {@code duration}; returns how many were admitted. */
  int offer(int perSecond, Duration duration) throws Exception {
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
      answers.add(request());
    }
    int admitted = 0;
    for (Future<Decision> answer : answers) {
      if (await(answer) == Decision.next()) {
        admitted++;
      }
    }
    return admitted;
  }

  /**
   * Takes tokens until the bucket refuses, so a measurement starts from an empty bucket.
   *
   * @return the tokens taken
   */
  int drain() throws Exception {
    for (int i = 0; i < 1_000_000; i++) {
      if (await(request()) != Decision.next()) {
        return i;
      }
    }
    throw new IllegalStateException("bucket never ran empty");
  }

  static Decision await(Future<Decision> answer) throws Exception {
    return answer.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
