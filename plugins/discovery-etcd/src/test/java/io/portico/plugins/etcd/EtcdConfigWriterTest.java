package io.portico.plugins.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.portico.spi.ConfigStore;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Conditional writes against a real etcd, and their tries: a later try that finds the entry already
 * as it writes it (its earlier try went through, the answer was lost) succeeds; one that finds
 * something else is a changed entry, as on a first try; a store that never answers fails after
 * every try with why.
 */
class EtcdConfigWriterTest {
  static EtcdProcess etcd;
  static Client client;

  @BeforeAll
  static void start() throws Exception {
    etcd = new EtcdProcess();
    client = Client.builder().endpoints(etcd.url()).build();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    etcd.close();
  }

  static EtcdConfigWriter.Change put(String key, String json, long expected) {
    ByteSequence k = EtcdConfigFollower.bytes(key);
    ByteSequence value = EtcdConfigFollower.bytes(json);
    return new EtcdConfigWriter.Change(key, Op.put(k, value, PutOption.DEFAULT), value, expected);
  }

  @Test
  void aLaterTryThatFindsItsOwnWriteSucceedsAndOneThatFindsAnotherIsStale() throws Exception {
    EtcdConfigWriter writer = new EtcdConfigWriter(new EtcdMembers(List.of(etcd.url())), new EtcdKeys("/writer-test/"));
    ConfigStore.Write first = writer.put(ConfigStore.Kind.ROUTE, "r", "{\"upstream\":\"a\"}", 0).get(10, TimeUnit.SECONDS);

    // the same change tried again: the entry must not exist, it does, but holds exactly this value
    ConfigStore.Write again = writer.attempt(put("/writer-test/routes/r", "{\"upstream\":\"a\"}", 0), 2)
        .get(10, TimeUnit.SECONDS);

    assertThat(again.revision()).isEqualTo(first.revision());
    assertThatThrownBy(() -> writer.attempt(put("/writer-test/routes/r", "{\"upstream\":\"b\"}", 0), 2)
        .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ConfigStore.StaleWriteException.class);
    assertThatThrownBy(() -> writer.attempt(put("/writer-test/routes/r", "{\"upstream\":\"a\"}", 0), 1)
        .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ConfigStore.StaleWriteException.class);
  }

  @Test
  void aStoreThatNeverAnswersFailsAfterEveryTryWithWhy() throws Exception {
    int port;
    try (ServerSocket silent = new ServerSocket(0)) { // accepts connections, never answers
      port = silent.getLocalPort();
      EtcdMembers unanswering = new EtcdMembers(List.of("http://127.0.0.1:" + port));
      try {
        EtcdConfigWriter writer = new EtcdConfigWriter(unanswering, new EtcdKeys("/writer-test/"));

        assertThatThrownBy(() -> writer.put(ConfigStore.Kind.ROUTE, "r", "{}", 0).get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasMessageContaining("writing /writer-test/routes/r failed " + EtcdConfigWriter.ATTEMPTS + " times, last: ");
      } finally {
        unanswering.built().forEach(Client::close);
      }
    }
  }
}
