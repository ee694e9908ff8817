package io.portico.plugins.etcd;

import static io.portico.plugins.etcd.EtcdKv.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Client;
import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the whole etcd was down for a while, a gateway follows again promptly once it is back
 * (chaos scenario 4 targets 1 s; the bound here is generous for a busy CI machine, and was missed
 * by 5 to 13 s when the client waited out gRPC's reconnect backoff).
 */
class EtcdReturnTest {
  private static final Logger log = LoggerFactory.getLogger(EtcdReturnTest.class);

  EtcdProcess etcd;
  TestBackend backend;

  @BeforeEach
  void start() throws Exception {
    etcd = new EtcdProcess();
    backend = TestBackend.start();
  }

  @AfterEach
  void stop() throws Exception {
    backend.close();
    etcd.close();
  }

  @Test
  void aChangeWrittenRightAfterEtcdReturnsIsAppliedWithinSeconds() throws Exception {
    try (TestGateway gateway = TestGateway.start("""
        config: { etcd: { endpoints: [%s], prefix: /portico/ } }
        upstreams: [{ name: app, endpoints: [%s] }]
        routes: [{ name: files, match: { path-prefix: /files }, upstream: app }]
        """.formatted(etcd.url(), backend.address()))) {
      new EtcdKv(etcd).put("/portico/routes/orders", route("/orders", "app"));
      await().atMost(Duration.ofSeconds(15)).until(() -> gateway.get("/orders/1").status() == 200);

      etcd.stop();
      await().atMost(Duration.ofSeconds(15)).until(() -> !gateway.admin("/admin/config").json().getJsonObject("store").getBoolean("available"));
      // down as long as in chaos scenario 4: long enough for the client's reconnect backoff to grow
      await().pollDelay(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(31)).until(() -> gateway.get("/orders/1").status() == 200);

      etcd.start(); // same port and data dir; returns once etcd reports healthy
      long back = System.nanoTime();
      // written by a client of its own, as another replica or an operator would
      try (Client writer = Client.builder().endpoints(etcd.url()).build()) {
        writer.getKVClient().put(EtcdKv.bytes("/portico/routes/payments"), EtcdKv.bytes(route("/payments", "app"))).get(10, TimeUnit.SECONDS);
      }
      await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(20)).until(() -> gateway.get("/payments/1").status() == 200);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
      log.info("change applied {} ms after etcd returned", millis);
      System.out.println("etcd-return: change applied " + millis + " ms after etcd returned");
      assertThat(gateway.admin("/admin/config").json().getJsonObject("store").getBoolean("available")).isTrue();
    }
  }
}
