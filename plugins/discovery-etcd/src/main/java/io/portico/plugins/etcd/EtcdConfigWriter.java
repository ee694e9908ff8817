package io.portico.plugins.etcd;

import static io.portico.plugins.etcd.EtcdConfigFollower.bytes;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.portico.spi.ConfigStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Conditional writes of config entries: one etcd transaction that puts or deletes the key only if
 * its mod revision is still the one the caller validated against (version 0 when it must not
 * exist), so two admins editing the same route cannot overwrite each other unnoticed.
 */
final class EtcdConfigWriter {
  /** Tries of one write, each with its own deadline: together under the admin API's 10 s. */
  static final int ATTEMPTS = 3;
  private static final long ATTEMPT_MILLIS = 2_000;
  private static final long PAUSE_MILLIS = 100;

  private final EtcdMembers members;
  private final EtcdKeys keys;

  EtcdConfigWriter(EtcdMembers members, EtcdKeys keys) {
    this.members = members;
    this.keys = keys;
  }

  CompletableFuture<ConfigStore.Write> put(ConfigStore.Kind kind, String name, String json, long expectedModRevision) {
    String key = keys.key(kind, name);
    ByteSequence k = bytes(key);
    ByteSequence value = bytes(json);
    return attempt(new Change(key, Op.put(k, value, PutOption.DEFAULT), value, expectedModRevision), 1);
  }

  CompletableFuture<ConfigStore.Write> delete(ConfigStore.Kind kind, String name, long expectedModRevision) {
    String key = keys.key(kind, name);
    ByteSequence k = bytes(key);
    return attempt(new Change(key, Op.delete(k, DeleteOption.DEFAULT), null, expectedModRevision), 1);
  }

  /** One write: its key, the operation, the value it puts (null: a delete) and the revision it expects. */
  record Change(String key, Op write, ByteSequence value, long expected) {
    ByteSequence k() {
      return bytes(key);
    }
  }

  /**
   * Sends the transaction; a try that fails for the store's sake (not a changed entry) goes again
   * after a short pause, up to {@value #ATTEMPTS} tries. A member cut off from the others (a
   * partition, its leader lost) holds a write until the try's deadline: the failed try moves the
   * followers' member on ({@link EtcdMembers}), so the next try goes to another member rather than
   * to whichever one a round robin gives. A try after the first may find its own earlier write
   * applied (the answer was lost); {@link #outcome} counts that as success.
   */
  CompletableFuture<ConfigStore.Write> attempt(Change change, int attempt) {
    ByteSequence k = change.k();
    Client client = members.current();
    Cmp condition = change.expected() == 0
        ? new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0))
        : new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(Math.max(change.expected(), 0)));
    var txn = client.getKVClient().txn();
    if (change.expected() >= 0) {
      txn = txn.If(condition);
    }
    return txn.Then(Op.get(k, GetOption.DEFAULT), change.write()).Else(Op.get(k, GetOption.DEFAULT))
        .commit()
        .orTimeout(ATTEMPT_MILLIS, TimeUnit.MILLISECONDS)
        .handle((response, failure) -> {
          if (failure == null) {
            return CompletableFuture.completedFuture(outcome(change, attempt, response));
          }
          members.moveOn(client, "writing " + change.key() + ": " + why(failure));
          if (attempt >= ATTEMPTS) {
            return CompletableFuture.<ConfigStore.Write>failedFuture(storeFailure(change.key(), attempt, failure));
          }
          Executor later = CompletableFuture.delayedExecutor(PAUSE_MILLIS * attempt, TimeUnit.MILLISECONDS);
          return CompletableFuture.supplyAsync(() -> null, later).thenCompose(x -> attempt(change, attempt + 1));
        })
        .thenCompose(Function.identity());
  }

  private static ConfigStore.Write outcome(Change change, int attempt, TxnResponse response) {
    List<KeyValue> now = response.getGetResponses().isEmpty() ? List.of() : response.getGetResponses().get(0).getKvs();
    if (!response.isSucceeded()) {
      if (attempt > 1 && alreadyApplied(change, now)) {
        long revision = now.isEmpty() ? response.getHeader().getRevision() : now.get(0).getModRevision();
        return new ConfigStore.Write(change.key(), revision, change.expected() != 0);
      }
      String state = now.isEmpty() ? "is absent" : "is at revision " + now.get(0).getModRevision();
      String expectation = change.expected() == 0 ? "absent" : "at revision " + change.expected();
      throw new ConfigStore.StaleWriteException(change.key() + " changed meanwhile: this gateway checked it "
          + expectation + ", it now " + state + "; read it again and retry");
    }
    return new ConfigStore.Write(change.key(), response.getHeader().getRevision(), !now.isEmpty());
  }

  /** Whether the entry is already what the change makes it: this change's earlier try went through. */
  private static boolean alreadyApplied(Change change, List<KeyValue> now) {
    return change.value() == null ? now.isEmpty() : !now.isEmpty() && now.get(0).getValue().equals(change.value());
  }

  private static RuntimeException storeFailure(String key, int attempts, Throwable failure) {
    return new IllegalStateException("writing " + key + " failed " + attempts + " times, last: " + why(failure), cause(failure));
  }

  private static String why(Throwable failure) {
    Throwable cause = cause(failure);
    return cause instanceof TimeoutException ? "no answer within " + ATTEMPT_MILLIS + " ms"
        : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
  }

  private static Throwable cause(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
