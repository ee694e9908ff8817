package io.portico.plugins.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.spi.ConfigStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A member that stops answering while the other two keep a quorum (SIGSTOP: its connections stay
 * open, so the watch on it is silent, not failed): the follower that reads and watches through it
 * moves to another member and catches up with a write made meanwhile within a few seconds, and the
 * write itself goes through another member. Before, the watch stayed on the silent member until
 * gRPC's keep-alive gave up (40 s), and reads and writes kept landing on it by round robin.
 */
class EtcdMemberFailoverTest {
  // about 2 s here (a probe a second, a second to answer): several times that for a busy CI machine
  private static final Duration CATCH_UP = Duration.ofSeconds(10);

  @Test
  void aFollowerWhoseMemberStopsAnsweringCatchesUpThroughAnother() throws Exception {
    try (EtcdCluster cluster = new EtcdCluster()) {
      EtcdMembers members = new EtcdMembers(cluster.urls(), 0);
      EtcdSettings settings = new EtcdSettings(cluster.urls(), "/failover/");
      EtcdConfigStore store = new EtcdConfigStore(EtcdClients.of(cluster.urls()), members, settings);
      AtomicLong revision = new AtomicLong();
      store.follow(snapshot -> revision.set(snapshot.revision()));
      try {
        long before = write(store, "{\"upstream\":\"a\"}");
        await().atMost(CATCH_UP).until(() -> revision.get() >= before);
        assertThat(store.status()).containsEntry("watching", true);

        cluster.pause(0); // the member the follower reads and watches through
        try {
          // the first try of the write may wait on the paused member; the writer moves on
          long during = write(store, "{\"upstream\":\"b\"}");

          await().atMost(CATCH_UP).until(() -> revision.get() >= during);
        } finally {
          cluster.resume(0);
        }
      } finally {
        store.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        members.built().forEach(io.etcd.jetcd.Client::close);
      }
    }
  }

  private static long write(EtcdConfigStore store, String json) throws Exception {
    return store.put(ConfigStore.Kind.ROUTE, "r", json, -1).toCompletionStage().toCompletableFuture()
        .get(15, TimeUnit.SECONDS).revision();
  }
}
