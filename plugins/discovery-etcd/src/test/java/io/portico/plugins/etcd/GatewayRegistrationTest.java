package io.portico.plugins.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.KeyValue;
import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.portico.testkit.TestResponse;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Registration through the gateway's admin API: in etcd (every replica) or in memory. */
class GatewayRegistrationTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static TestResponse heartbeat(TestGateway gateway, String service, String id, String body) {
    return gateway.adminRequest(HttpMethod.PUT, "/admin/services/" + service + "/instances/" + id).body(body).send();
  }

  @Test
  void anInstanceRegisteredThroughTheGatewayServesOnEveryReplicaAndLeavesWhenHeartbeatsStop() throws Exception {
    try (EtcdProcess etcd = new EtcdProcess(); TestBackend backend = TestBackend.start()) {
      EtcdKv kv = new EtcdKv(etcd);
      String yaml = """
          config: { etcd: { endpoints: [%s] } }
          upstreams: [{ name: users, discovery: { type: etcd, service: users } }]
          routes: [{ name: users, match: { path-prefix: /users }, upstream: users }]
          """.formatted(etcd.url());
      try (TestGateway one = TestGateway.start(yaml); TestGateway two = TestGateway.start(yaml)) {
        assertThat(one.get("/users/1").status()).isEqualTo(503);
        String body = "{\"address\":\"" + backend.address() + "\",\"ttl\":\"2s\",\"zone\":\"a\"}";
        TestResponse first = heartbeat(one, "users", "u1", body);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.json().getString("stored_in")).isEqualTo("etcd");
        await().atMost(WAIT).until(() -> one.get("/users/1").status() == 200 && two.get("/users/1").status() == 200);

        KeyValue registered = kv.get("/portico/services/users/u1");
        assertThat(registered.getLease()).isNotZero();
        for (int i = 0; i < 3; i++) { // heartbeats, to either replica, renew the lease without a write
          TestResponse renewed = heartbeat(i % 2 == 0 ? two : one, "users", "u1", body);
          assertThat(renewed.status()).as(renewed.toString()).isEqualTo(200);
          assertThat(renewed.json().getString("status")).isEqualTo("renewed");
        }
        assertThat(kv.get("/portico/services/users/u1").getModRevision()).isEqualTo(registered.getModRevision());

        // no more heartbeats: the lease expires, the instance leaves rotation everywhere
        await().atMost(WAIT).until(() -> one.get("/users/1").status() == 503 && two.get("/users/1").status() == 503);
        assertThat(kv.get("/portico/services/users/u1")).isNull();

        assertThat(heartbeat(two, "users", "u2", body).status()).isEqualTo(201);
        await().atMost(WAIT).until(() -> one.get("/users/1").status() == 200);
        TestResponse gone = one.adminRequest(HttpMethod.DELETE, "/admin/services/users/instances/u2").send();
        assertThat(gone.status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> two.get("/users/1").status() == 503);
        assertThat(one.adminRequest(HttpMethod.DELETE, "/admin/services/users/instances/u2").send().status()).isEqualTo(404);
      }
    }
  }

  @Test
  void withoutEtcdRegistrationsAreKeptInTheGatewaysMemory() throws Exception {
    try (TestBackend backend = TestBackend.start();
        TestGateway gateway = TestGateway.start("""
            upstreams: [{ name: users, discovery: { type: registry, service: users } }]
            routes: [{ name: users, match: { path-prefix: /users }, upstream: users }]
            """)) {
      assertThat(gateway.get("/users/1").status()).isEqualTo(503);
      String body = "{\"address\":\"" + backend.address() + "\",\"ttl\":\"1s\"}";
      TestResponse first = heartbeat(gateway, "users", "u1", body);
      assertThat(first.status()).as(first.toString()).isEqualTo(201);
      assertThat(first.json().getString("stored_in")).isEqualTo("memory");
      await().atMost(WAIT).until(() -> gateway.get("/users/1").status() == 200);
      // heartbeats keep it alive past its ttl
      long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
        assertThat(heartbeat(gateway, "users", "u1", body).status()).isEqualTo(200);
        assertThat(gateway.get("/users/1").status()).isEqualTo(200);
        return System.nanoTime() > until;
      });
      await().atMost(WAIT).until(() -> gateway.get("/users/1").status() == 503); // heartbeats stopped
      assertThat(heartbeat(gateway, "users", "u1", body).status()).isEqualTo(201);
      await().atMost(WAIT).until(() -> gateway.get("/users/1").status() == 200);
      assertThat(gateway.adminRequest(HttpMethod.DELETE, "/admin/services/users/instances/u1").send().status()).isEqualTo(200);
      assertThat(gateway.get("/users/1").status()).isEqualTo(503); // deregistered at once
    }
  }

  @Test
  void theInMemoryRegistryIsRefusedWhenEtcdHoldsTheRegistrations() throws Exception {
    try (EtcdProcess etcd = new EtcdProcess()) {
      assertThatThrownBy(() -> TestGateway.start("""
          config: { etcd: { endpoints: [%s] } }
          upstreams: [{ name: users, discovery: { type: registry, service: users } }]
          """.formatted(etcd.url())))
          .hasMessageContaining("upstreams[0].discovery.type")
          .hasMessageContaining("use type etcd");
    }
  }

  @Test
  void anInvalidRegistrationIsRefusedWithItsFields() {
    try (TestGateway gateway = TestGateway.start("routes: []")) {
      TestResponse bad = heartbeat(gateway, "users", "u1", "{\"address\":\"nohost\",\"ttl\":\"0s\",\"weight\":0,\"colour\":1}");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.json().getJsonArray("errors").stream().map(e -> ((io.vertx.core.json.JsonObject) e).getString("path")))
          .containsExactlyInAnyOrder("address", "ttl", "weight", "colour");
      assertThat(gateway.adminRequest(HttpMethod.GET, "/admin/services/users/instances/u1").send().status()).isEqualTo(405);
    }
  }
}
