package io.portico.plugins.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One jetcd client per distinct endpoint list, shared by every upstream and registration. */
final class EtcdClients {
  private static final Map<List<String>, Client> CLIENTS = new HashMap<>();

  private EtcdClients() {}

  static synchronized Client of(List<String> endpoints) {
    return CLIENTS.computeIfAbsent(endpoints, e -> Client.builder().endpoints(e.toArray(String[]::new)).build());
  }

  static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
