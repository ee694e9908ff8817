package io.portico.plugins.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One jetcd client per distinct endpoint list, shared by every lease and registration, and one
 * {@link EtcdMembers} per list for the reads and watches that follow etcd and for config writes.
 */
final class EtcdClients {
  private static final Map<List<String>, Client> CLIENTS = new HashMap<>();
  private static final Map<List<String>, EtcdMembers> MEMBERS = new HashMap<>();

  private EtcdClients() {}

  static synchronized Client of(List<String> endpoints) {
    return CLIENTS.computeIfAbsent(endpoints, e -> builder(e).build());
  }

  static synchronized EtcdMembers members(List<String> endpoints) {
    return MEMBERS.computeIfAbsent(endpoints, EtcdMembers::new);
  }

  /** The settings every client of this plugin is built with. */
  static ClientBuilder builder(List<String> endpoints) {
    return Client.builder().endpoints(endpoints.toArray(String[]::new))
        // keep-alive pings only while calls are open. The client balances calls over every member,
        // so the connection to a member often carries no call between two config writes; etcd
        // allows a ping on such a connection once in two hours, and after the third (jetcd pings
        // every 30 s by default) it sends GOAWAY "too_many_pings" and the next call on it fails
        .keepaliveWithoutCalls(false);
  }

  static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
