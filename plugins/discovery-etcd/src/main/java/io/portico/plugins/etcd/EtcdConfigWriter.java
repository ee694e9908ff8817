package io.portico.plugins.etcd;

import static io.portico.plugins.etcd.EtcdConfigFollower.bytes;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.portico.spi.ConfigStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Conditional writes of config entries: one etcd transaction that puts or deletes the key only if
 * its mod revision is still the one the caller validated against (version 0 when it must not
 * exist), so two admins editing the same route cannot overwrite each other unnoticed.
 */
final class EtcdConfigWriter {
  private static final long TIMEOUT_SECONDS = 5;

  private final Client client;
  private final EtcdKeys keys;

  EtcdConfigWriter(Client client, EtcdKeys keys) {
    this.client = client;
    this.keys = keys;
  }

  CompletableFuture<ConfigStore.Write> put(ConfigStore.Kind kind, String name, String json, long expectedModRevision) {
    String key = keys.key(kind, name);
    ByteSequence k = bytes(key);
    Op write = Op.put(k, bytes(json), PutOption.DEFAULT);
    return commit(key, k, write, expectedModRevision);
  }

  CompletableFuture<ConfigStore.Write> delete(ConfigStore.Kind kind, String name, long expectedModRevision) {
    String key = keys.key(kind, name);
    ByteSequence k = bytes(key);
    Op write = Op.delete(k, DeleteOption.DEFAULT);
    return commit(key, k, write, expectedModRevision);
  }

  private CompletableFuture<ConfigStore.Write> commit(String key, ByteSequence k, Op write, long expected) {
    Cmp condition = expected == 0
        ? new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0))
        : new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(Math.max(expected, 0)));
    var txn = client.getKVClient().txn();
    if (expected >= 0) {
      txn = txn.If(condition);
    }
    return txn.Then(Op.get(k, GetOption.DEFAULT), write).Else(Op.get(k, GetOption.DEFAULT)).commit()
        .orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .thenApply(response -> outcome(key, expected, response));
  }

  private static ConfigStore.Write outcome(String key, long expected, TxnResponse response) {
    if (!response.isSucceeded()) {
      var now = response.getGetResponses().isEmpty() || response.getGetResponses().get(0).getKvs().isEmpty()
          ? "is absent" : "is at revision " + response.getGetResponses().get(0).getKvs().get(0).getModRevision();
      String expectation = expected == 0 ? "absent" : "at revision " + expected;
      throw new ConfigStore.StaleWriteException(key + " changed meanwhile: this gateway checked it " + expectation
          + ", it now " + now + "; read it again and retry");
    }
    boolean existed = !response.getGetResponses().get(0).getKvs().isEmpty();
    return new ConfigStore.Write(key, response.getHeader().getRevision(), existed);
  }
}
