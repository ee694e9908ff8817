package io.portico.plugins.etcd;

import io.etcd.jetcd.Client;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcd member that this JVM's config follower and discovery sources read and watch through,
 * and that config writes go to, and the move to the next member when it fails them.
 *
 * <p>The shared client of {@link EtcdClients} balances every call over all members, so after a
 * failure the next read may land on the same bad member again, and a member cut off from the
 * quorum (still reachable, but without a leader) kept taking its share of the re-reads, each held
 * until it timed out, while the rest of the cluster had long taken writes (chaos scenario 11a). Here each member has a
 * client of its own whose endpoint list starts at that member ({@code pick_first}: the later
 * members serve only while it cannot be connected to); a follower that sees a watch cancelled for
 * "no leader" or a read time out calls {@link #moveOn}, and its next read and watch go to the next
 * member. A watch gives no sign while its member is merely silent or still counting the elections
 * it missed (etcd cancels it for "no leader" only after three election timeouts), so an
 * {@link EtcdMemberProbe} also asks the member in use for a linearizable read every second, and the
 * followers whose watch is on a member left behind are told ({@link #onLeaving}) and read again
 * through the next one. A config write whose try gets no answer moves on too, so its next try goes
 * elsewhere. Leases and registrations keep the shared client.
 *
 * <p>The member to start with is chosen at random, so the replicas of a gateway spread their
 * watches over the cluster. Clients are built on first use and kept for the JVM's life, like the
 * shared one.
 */
final class EtcdMembers {
  private static final Logger log = LoggerFactory.getLogger(EtcdMembers.class);
  /** Moves within this long of a logged one are logged at debug. */
  private static final long QUIET_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
  /** Tells the followers outside their locks and the caller's: a follower may call moveOn holding its own. */
  private static final Executor NOTIFY = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "portico-etcd-members");
    t.setDaemon(true);
    return t;
  });

  /** Told when the followers leave a member behind. */
  interface Leaving {
    void left(Client failed, String why);
  }

  private final List<String> endpoints;
  private final Client[] clients;
  private final List<Leaving> listeners = new CopyOnWriteArrayList<>();
  private int current;
  private boolean probing;
  private long lastWarnNanos = System.nanoTime() - QUIET_NANOS;

  EtcdMembers(List<String> endpoints) {
    this(endpoints, ThreadLocalRandom.current().nextInt(endpoints.size()));
  }

  /** Starting at the member {@code first} of {@code endpoints} (tests choose the one to fail). */
  EtcdMembers(List<String> endpoints, int first) {
    this.endpoints = List.copyOf(endpoints);
    this.clients = new Client[endpoints.size()];
    this.current = first;
  }

  /** The client of the member in use now. */
  synchronized Client current() {
    return clientOf(current);
  }

  /**
   * Moves to the next member, unless another follower already moved away from {@code failed}:
   * two followers failing on the same member move once, and do not skip the healthy one next.
   */
  void moveOn(Client failed, String why) {
    synchronized (this) {
      if (clients.length < 2 || clients[current] != failed) {
        return;
      }
      String from = endpoints.get(current);
      current = (current + 1) % clients.length;
      // while the whole cluster is down the probe moves on every other second: say so once in a while
      long now = System.nanoTime();
      if (now - lastWarnNanos >= QUIET_NANOS) {
        lastWarnNanos = now;
        log.warn("etcd member {} failed ({}); reading and watching through {} now", from, why, endpoints.get(current));
      } else {
        log.debug("etcd member {} failed ({}); reading and watching through {} now", from, why, endpoints.get(current));
      }
    }
    NOTIFY.execute(() -> listeners.forEach(listener -> listener.left(failed, why)));
  }

  /**
   * Tells {@code listener} of every member left behind, and from now on probes the member in use
   * (with more than one member); the returned handle stops telling it.
   */
  Runnable onLeaving(Leaving listener) {
    listeners.add(listener);
    synchronized (this) {
      if (!probing && clients.length > 1) {
        probing = true;
        new EtcdMemberProbe(this).start();
      }
    }
    return () -> listeners.remove(listener);
  }

  /** Whether a follower still listens: the probe asks nothing of etcd when none does. */
  boolean followed() {
    return !listeners.isEmpty();
  }

  /** Every client built so far, to hurry their reconnects while etcd is unreachable. */
  synchronized List<Client> built() {
    List<Client> built = new ArrayList<>();
    for (Client client : clients) {
      if (client != null) {
        built.add(client);
      }
    }
    return built;
  }

  private Client clientOf(int member) {
    if (clients[member] == null) {
      List<String> order = new ArrayList<>(endpoints.subList(member, endpoints.size()));
      order.addAll(endpoints.subList(0, member));
      clients[member] = EtcdClients.builder(order).loadBalancerPolicy("pick_first").build();
    }
    return clients[member];
  }
}
