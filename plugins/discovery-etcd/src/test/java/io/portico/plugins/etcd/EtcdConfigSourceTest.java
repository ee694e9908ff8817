package io.portico.plugins.etcd;

import static io.portico.plugins.etcd.EtcdKv.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routes, upstreams and plugins followed from a real etcd by a running gateway. */
class EtcdConfigSourceTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  EtcdProcess etcd;
  EtcdKv kv;
  TestBackend backend;

  @BeforeEach
  void start() throws Exception {
    etcd = new EtcdProcess();
    kv = new EtcdKv(etcd);
    backend = TestBackend.start();
  }

  @AfterEach
  void stop() throws Exception {
    backend.close();
    etcd.close();
  }

  private TestGateway gateway() {
    return TestGateway.start("""
        config: { etcd: { endpoints: [%s], prefix: /portico/ } }
        upstreams: [{ name: app, endpoints: [%s] }]
        routes: [{ name: files, match: { path-prefix: /files }, upstream: app }]
        """.formatted(etcd.url(), backend.address()));
  }

  private static long revision(TestGateway gateway) {
    return Long.parseLong(gateway.server().currentConfig().revision());
  }

  @Test
  void aRoutePutInEtcdIsServedAndADeletedOneStopsMatching() throws Exception {
    try (TestGateway gateway = gateway()) {
      assertThat(gateway.get("/orders/1").status()).isEqualTo(404);
      long put = kv.put("/portico/routes/orders", route("/orders", "app"));
      await().atMost(WAIT).until(() -> gateway.get("/orders/1").status() == 200);
      assertThat(revision(gateway)).isEqualTo(put);
      assertThat(gateway.get("/files/a").status()).isEqualTo(200); // the files' routes stay

      long deleted = kv.delete("/portico/routes/orders");
      await().atMost(WAIT).until(() -> gateway.get("/orders/1").status() == 404);
      assertThat(revision(gateway)).isEqualTo(deleted);
    }
  }

  @Test
  void upstreamsAndGlobalPluginsComeFromEtcdToo() throws Exception {
    kv.put("/portico/upstreams/orders", "{\"endpoints\":[\"" + backend.address() + "\"]}");
    kv.put("/portico/routes/orders", route("/orders", "orders"));
    kv.put("/portico/plugins", "{\"request-id\":{\"header\":\"X-Trace\",\"response\":true}}");
    try (TestGateway gateway = gateway()) {
      var answer = gateway.get("/orders/1");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.header("X-Trace")).isNotBlank();
      assertThat(gateway.get("/files/1").header("X-Trace")).isNotBlank(); // global: on the files' route too
    }
  }

  @Test
  void anEtcdEntryOverridesTheFileEntryOfTheSameName() throws Exception {
    try (TestGateway gateway = gateway()) {
      assertThat(gateway.get("/files/a").status()).isEqualTo(200);
      kv.put("/portico/routes/files", route("/documents", "app"));
      await().atMost(WAIT).until(() -> gateway.get("/documents/a").status() == 200);
      assertThat(gateway.get("/files/a").status()).isEqualTo(404);
      kv.delete("/portico/routes/files"); // the file's route comes back
      await().atMost(WAIT).until(() -> gateway.get("/files/a").status() == 200);
    }
  }

  @Test
  void editsOfTheFilesKeepTheEtcdEntries() throws Exception {
    try (TestGateway gateway = gateway()) {
      long put = kv.put("/portico/routes/orders", route("/orders", "app"));
      await().atMost(WAIT).until(() -> gateway.get("/orders/1").status() == 200);
      gateway.reload("""
          config: { etcd: { endpoints: [%s] } }
          upstreams: [{ name: app, endpoints: [%s] }]
          routes: [{ name: papers, match: { path-prefix: /papers }, upstream: app }]
          """.formatted(etcd.url(), backend.address()));
      assertThat(gateway.get("/papers/1").status()).isEqualTo(200);
      assertThat(gateway.get("/files/1").status()).isEqualTo(404);
      assertThat(gateway.get("/orders/1").status()).isEqualTo(200);
      assertThat(revision(gateway)).isEqualTo(put);
    }
  }

  @Test
  void watchedFilesAndEtcdBothApply() throws Exception {
    try (TestGateway gateway = TestGateway.start("""
        config: { etcd: { endpoints: [%s] }, watch: true }
        upstreams: [{ name: app, endpoints: [%s] }]
        routes: [{ name: files, match: { path-prefix: /files }, upstream: app }]
        """.formatted(etcd.url(), backend.address()))) {
      java.nio.file.Files.writeString(gateway.configDir().resolve("gateway.yaml"), """
          config: { etcd: { endpoints: [%s] }, watch: true }
          upstreams: [{ name: app, endpoints: [%s] }]
          routes: [{ name: files, match: { path-prefix: /papers }, upstream: app }]
          """.formatted(etcd.url(), backend.address()));
      await().atMost(WAIT).until(() -> gateway.get("/papers/1").status() == 200);
      kv.put("/portico/routes/orders", route("/orders", "app"));
      await().atMost(WAIT).until(() -> gateway.get("/orders/1").status() == 200);
      assertThat(gateway.get("/papers/1").status()).isEqualTo(200);
    }
  }

  @Test
  void anInvalidValueIsRejectedWithItsKeyAndTheOthersApply() throws Exception {
    try (TestGateway gateway = gateway()) {
      kv.put("/portico/routes/broken", "{\"match\": {\"path-prefix\": \"/broken\"");
      kv.put("/portico/routes/typo", route("/typo", "ap"));
      long good = kv.put("/portico/routes/good", route("/good", "app"));
      await().atMost(WAIT).until(() -> revision(gateway) >= good);
      assertThat(gateway.get("/good/1").status()).isEqualTo(200);
      assertThat(gateway.get("/typo/1").status()).isEqualTo(404);

      JsonObject config = gateway.admin("/admin/config").json();
      assertThat(config.getString("revision")).isEqualTo(Long.toString(good));
      JsonArray rejected = config.getJsonArray("rejected_keys");
      assertThat(rejected).hasSize(2);
      JsonObject typo = rejected.stream().map(JsonObject.class::cast)
          .filter(r -> r.getString("key").equals("/portico/routes/typo")).findFirst().orElseThrow();
      assertThat(typo.getJsonArray("errors").getJsonObject(0).getString("path")).isEqualTo("upstream");
      assertThat(typo.getJsonArray("errors").getJsonObject(0).getString("message")).contains("no upstream named \"ap\"");
      assertThat(rejected.encode()).contains("/portico/routes/broken").contains("not valid JSON");
      assertThat(gateway.admin("/metrics").bodyAsString()).contains("portico_config_rejected_keys 2.0");

      kv.put("/portico/routes/typo", route("/typo", "app")); // fixed: applies, and is no longer listed
      await().atMost(WAIT).until(() -> gateway.get("/typo/1").status() == 200);
      assertThat(gateway.admin("/admin/config").json().getJsonArray("rejected_keys")).hasSize(1);
    }
  }

  @Test
  void theLastConfigServesWhileEtcdIsDownAndNewChangesApplyWhenItReturns() throws Exception {
    try (TestGateway gateway = gateway()) {
      kv.put("/portico/routes/orders", route("/orders", "app"));
      await().atMost(WAIT).until(() -> gateway.get("/orders/1").status() == 200);

      etcd.stop();
      await().atMost(WAIT).until(() -> !gateway.admin("/admin/config").json().getJsonObject("store").getBoolean("available"));
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> gateway.get("/orders/1").status() == 200);
      assertThat(gateway.get("/files/1").status()).isEqualTo(200);

      etcd.start(); // same data dir: what was there is still there
      long put = kv.put("/portico/routes/payments", route("/payments", "app"));
      await().atMost(Duration.ofSeconds(30)).until(() -> gateway.get("/payments/1").status() == 200);
      assertThat(revision(gateway)).isGreaterThanOrEqualTo(put);
      assertThat(gateway.get("/orders/1").status()).isEqualTo(200);
      assertThat(gateway.admin("/admin/config").json().getJsonObject("store").getBoolean("available")).isTrue();
    }
  }

  @Test
  void aWatchCancelledByCompactionRecoversWithAFullRead() throws Exception {
    try (TestGateway gateway = gateway()) {
      EtcdConfigFollower follower = ((EtcdConfigStore) gateway.server().configStore().store()).follower();
      long readsBefore = ((Number) follower.status().get("full_reads")).longValue();
      // between the next full read and its watch, two writes land and the history is compacted
      // past the revision the watch will ask for: etcd cancels that watch
      AtomicBoolean once = new AtomicBoolean();
      follower.beforeWatch = readRevision -> !once.compareAndSet(false, true)
          ? CompletableFuture.completedFuture(null)
          : CompletableFuture.runAsync(() -> {
            try {
              kv.put("/portico/routes/late", route("/late", "app"));
              kv.compact(kv.put("/portico/routes/later", route("/later", "app")));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      follower.resync();
      await().atMost(WAIT).until(() -> gateway.get("/later/1").status() == 200);
      assertThat(gateway.get("/late/1").status()).isEqualTo(200);
      assertThat(((Number) follower.status().get("compacted_watches")).longValue()).isEqualTo(1);
      assertThat(((Number) follower.status().get("full_reads")).longValue()).isGreaterThanOrEqualTo(readsBefore + 2);

      kv.put("/portico/routes/after", route("/after", "app")); // and the new watch follows
      await().atMost(WAIT).until(() -> gateway.get("/after/1").status() == 200);
    }
  }

  @Test
  void twoGatewaysOnOneEtcdConvergeOnTheSameRevision() throws Exception {
    try (TestGateway one = gateway(); TestGateway two = gateway()) {
      long last = 0;
      for (int i = 0; i < 5; i++) {
        last = kv.put("/portico/routes/r" + i, route("/r" + i, "app"));
      }
      long expected = last;
      await().atMost(WAIT).until(() -> revision(one) == expected && revision(two) == expected);
      assertThat(one.server().currentConfig().version()).isEqualTo(two.server().currentConfig().version());
      assertThat(one.admin("/readyz").json().getString("config_revision")).isEqualTo(Long.toString(expected));
      assertThat(two.admin("/readyz").json().getString("config_revision")).isEqualTo(Long.toString(expected));
      assertThat(two.get("/r4/x").status()).isEqualTo(200);
    }
  }

  @Test
  void propagationIsMeasuredFromTheWatchEvent() throws Exception {
    try (TestGateway gateway = gateway()) {
      long put = kv.put("/portico/routes/orders", route("/orders", "app"));
      await().atMost(WAIT).until(() -> revision(gateway) == put);
      String metrics = gateway.admin("/metrics").bodyAsString();
      assertThat(metrics).containsPattern("portico_config_propagation_seconds_count\\{from=\"watch_event\"\\} [1-9]");
      assertThat(metrics).contains("portico_config_revision " + put + ".0");
      assertThat(gateway.admin("/readyz").status()).isEqualTo(200);
    }
  }

  @Test
  void aGatewayStartedWhileEtcdIsDownServesItsFilesAndCatchesUp() throws Exception {
    kv.put("/portico/routes/orders", route("/orders", "app"));
    etcd.stop();
    try (TestGateway gateway = TestGateway.start("""
        config: { etcd: { endpoints: [%s] } }
        upstreams: [{ name: app, endpoints: [%s] }]
        routes: [{ name: files, match: { path-prefix: /files }, upstream: app }]
        """.formatted(etcd.url(), backend.address()))) {
      assertThat(gateway.get("/files/1").status()).isEqualTo(200);
      assertThat(gateway.admin("/readyz").status()).isEqualTo(503);
      etcd.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> gateway.get("/orders/1").status() == 200);
      assertThat(gateway.admin("/readyz").status()).isEqualTo(200);
    }
  }
}
