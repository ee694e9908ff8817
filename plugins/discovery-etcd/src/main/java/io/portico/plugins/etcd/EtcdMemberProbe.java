package io.portico.plugins.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks the member the followers use ({@link EtcdMembers#current}) for a linearizable read of one
 * key every second, and moves them on when it gets no answer within a second. A linearizable read
 * needs the member to reach a quorum through its leader, so it stops being answered as soon as the
 * member is cut off from the others, whether it still thinks itself leader, has lost its leader or
 * does not answer at all; a watch on such a member is silent, and etcd cancels it only after three
 * election timeouts without leader. The probe is one small read a second per JVM and endpoint list,
 * whatever the number of followers.
 */
final class EtcdMemberProbe {
  private static final ScheduledExecutorService PROBES = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "portico-etcd-probe");
    t.setDaemon(true);
    return t;
  });
  static final long EVERY_MILLIS = 1_000;
  static final long TIMEOUT_MILLIS = 1_000;
  /** The key etcd's own /health check reads: absent, so the answer is a header and nothing more. */
  private static final ByteSequence KEY = ByteSequence.from("health", StandardCharsets.UTF_8);
  private static final GetOption COUNT = GetOption.builder().withCountOnly(true).build();

  private final EtcdMembers members;

  EtcdMemberProbe(EtcdMembers members) {
    this.members = members;
  }

  void start() {
    PROBES.schedule(this::probe, EVERY_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** One probe; the next is scheduled when it ends, so a slow answer never piles probes up. */
  private void probe() {
    if (!members.followed()) {
      start();
      return;
    }
    Client client = members.current();
    client.getKVClient().get(KEY, COUNT).orTimeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).whenComplete((answer, failure) -> {
      if (failure != null) {
        members.moveOn(client, "no answer to a linearizable read within " + TIMEOUT_MILLIS + " ms");
      }
      start();
    });
  }
}
