package io.portico.plugins.etcd;

import io.etcd.jetcd.options.WatchOption;

/** The options every watch of this plugin is created with. */
final class EtcdWatches {
  private EtcdWatches() {}

  /**
   * A prefix watch from {@code fromRevision} that requires a leader: a member cut off from the
   * quorum cancels it with "no leader" instead of keeping it open and silent, so the follower
   * sees an error, reads again (through another member) and watches again.
   */
  static WatchOption prefixFrom(long fromRevision) {
    return WatchOption.builder().isPrefix(true).withRevision(fromRevision).withRequireLeader(true).build();
  }
}
