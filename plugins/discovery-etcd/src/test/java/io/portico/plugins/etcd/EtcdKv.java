package io.portico.plugins.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Plain writes and reads of the test's etcd, as an operator with etcdctl would make them. */
final class EtcdKv {
  private final Client client;

  EtcdKv(EtcdProcess etcd) {
    this.client = EtcdClients.of(List.of(etcd.url()));
  }

  /** Puts a value and returns the revision of the put. */
  long put(String key, String value) throws Exception {
    return client.getKVClient().put(bytes(key), bytes(value)).get(10, TimeUnit.SECONDS).getHeader().getRevision();
  }

  long delete(String key) throws Exception {
    return client.getKVClient().delete(bytes(key)).get(10, TimeUnit.SECONDS).getHeader().getRevision();
  }

  /** The stored value, or {@code null}. */
  KeyValue get(String key) throws Exception {
    List<KeyValue> kvs = client.getKVClient().get(bytes(key)).get(10, TimeUnit.SECONDS).getKvs();
    return kvs.isEmpty() ? null : kvs.get(0);
  }

  void compact(long revision) throws Exception {
    client.getKVClient().compact(revision).get(10, TimeUnit.SECONDS);
  }

  Client client() {
    return client;
  }

  static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }

  static String route(String pathPrefix, String upstream) {
    return "{\"match\":{\"path-prefix\":\"" + pathPrefix + "\"},\"upstream\":\"" + upstream + "\"}";
  }

  /** A route with an answer timeout (a change that keeps the match). */
  static String route(String pathPrefix, String upstream, String timeout) {
    return "{\"match\":{\"path-prefix\":\"" + pathPrefix + "\"},\"upstream\":\"" + upstream
        + "\",\"timeout\":\"" + timeout + "\"}";
  }
}
