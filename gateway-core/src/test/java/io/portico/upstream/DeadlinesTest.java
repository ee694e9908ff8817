package io.portico.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.DefaultEventLoop;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
  final DefaultEventLoop loop = new DefaultEventLoop();
  final Deadlines deadlines = new Deadlines(loop);
  final List<String> fired = new CopyOnWriteArrayList<>();
  final Map<String, Long> firedAt = new ConcurrentHashMap<>();

  @AfterEach
  void stop() throws Exception {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  Deadlines.Deadline named(String name) {
    return new Deadlines.Deadline() {
      @Override
      protected void expired() {
        fired.add(name);
        firedAt.put(name, System.nanoTime());
      }
    };
  }

  void onLoop(Runnable task) throws Exception {
    loop.submit(task).get(5, TimeUnit.SECONDS);
  }

  @Test
  void armedDeadlinesFireInOrderAndCancelledOnesNever() throws Exception {
    Deadlines.Deadline soon = named("soon");
    Deadlines.Deadline later = named("later");
    Deadlines.Deadline cancelled = named("cancelled");
    Deadlines.Deadline beyondOneTurn = named("beyond-one-turn");
    long start = System.nanoTime();
    onLoop(() -> {
      deadlines.arm(later, 200);
      deadlines.arm(soon, 50);
      deadlines.arm(cancelled, 100);
      deadlines.arm(beyondOneTurn, 5600); // the wheel spans 5.12 s: this one waits a turn
      deadlines.cancel(cancelled);
      deadlines.cancel(cancelled); // twice is harmless
    });

    await().atMost(Duration.ofSeconds(10)).until(() -> fired.size() == 3);

    assertThat(fired).containsExactly("soon", "later", "beyond-one-turn");
    assertThat(Duration.ofNanos(firedAt.get("soon") - start)).isBetween(Duration.ofMillis(40), Duration.ofMillis(1000));
    assertThat(Duration.ofNanos(firedAt.get("beyond-one-turn") - start)).isGreaterThan(Duration.ofMillis(5500));
    onLoop(() -> assertThat(deadlines.armed()).isZero());
  }

  @Test
  void aDeadlineCanBeArmedAgainAfterItFired() throws Exception {
    Deadlines.Deadline again = named("again");
    onLoop(() -> deadlines.arm(again, 20));
    await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 1);
    onLoop(() -> deadlines.arm(again, 20));
    await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 2);
  }
}
