package io.portico.plugins.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.options.WatchOption;
import org.junit.jupiter.api.Test;

/**
 * The watches of the config follower and of discovery require a leader: a watch held by a member
 * partitioned from the quorum would otherwise stay open and deliver nothing, and the gateway would
 * silently stop following (chaos scenario 11a).
 */
class EtcdWatchesTest {
  @Test
  void prefixWatchesRequireALeaderAndStartAtTheGivenRevision() {
    WatchOption options = EtcdWatches.prefixFrom(42);
    assertThat(options.withRequireLeader()).isTrue();
    assertThat(options.isPrefix()).isTrue();
    assertThat(options.getRevision()).isEqualTo(42);
  }
}
