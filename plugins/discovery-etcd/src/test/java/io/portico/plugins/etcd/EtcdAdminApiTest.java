package io.portico.plugins.etcd;

import static io.portico.plugins.etcd.EtcdKv.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.portico.testkit.TestResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routes and upstreams managed through the admin API, written to a real etcd. */
class EtcdAdminApiTest {
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

  private TestGateway gateway(String extra) {
    return TestGateway.start("""
        config: { etcd: { endpoints: [%s] } }
        upstreams: [{ name: app, endpoints: [%s] }]
        routes: [{ name: files, match: { path-prefix: /files }, upstream: app }]
        %s
        """.formatted(etcd.url(), backend.address(), extra));
  }

  private static TestResponse send(TestGateway gateway, HttpMethod method, String path, String body, String... headers) {
    var request = gateway.adminRequest(method, path);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return body == null ? request.send() : request.body(body).send();
  }

  private static long revision(TestGateway gateway) {
    return Long.parseLong(gateway.server().currentConfig().revision());
  }

  @Test
  void anAdminPutIsWrittenToEtcdAndEveryReplicaServesIt() throws Exception {
    try (TestGateway one = gateway(""); TestGateway two = gateway("")) {
      TestResponse put = send(one, HttpMethod.PUT, "/admin/routes/orders", route("/orders", "app"));
      assertThat(put.status()).as(put.toString()).isEqualTo(201);
      long written = put.json().getLong("revision");
      assertThat(put.json().getString("key")).isEqualTo("/portico/routes/orders");
      assertThat(put.json().getBoolean("applied")).isTrue();
      assertThat(kv.get("/portico/routes/orders").getModRevision()).isEqualTo(written);
      assertThat(one.get("/orders/1").status()).isEqualTo(200); // answered once this gateway runs it
      await().atMost(WAIT).until(() -> revision(two) >= written);
      assertThat(two.get("/orders/1").status()).isEqualTo(200);
      assertThat(one.admin("/metrics").bodyAsString())
          .containsPattern("portico_config_propagation_seconds_count\\{from=\"admin_write\"\\} 1");

      TestResponse update = send(two, HttpMethod.PUT, "/admin/routes/orders", route("/purchases", "app"));
      assertThat(update.status()).as(update.toString()).isEqualTo(200);
      TestResponse again = send(two, HttpMethod.PUT, "/admin/routes/orders", route("/purchases", "app", "7s"));
      assertThat(again.status()).as("a second write right after the first: " + again).isEqualTo(200);
      await().atMost(WAIT).until(() -> one.get("/purchases/1").status() == 200);
      assertThat(one.get("/orders/1").status()).isEqualTo(404);

      TestResponse delete = send(one, HttpMethod.DELETE, "/admin/routes/orders", null);
      assertThat(delete.status()).as(delete.toString()).isEqualTo(200);
      assertThat(kv.get("/portico/routes/orders")).isNull();
      await().atMost(WAIT).until(() -> two.get("/purchases/1").status() == 404);
      assertThat(send(one, HttpMethod.DELETE, "/admin/routes/orders", null).status()).isEqualTo(404);
    }
  }

  @Test
  void anAdminPutOfAnInvalidRouteIsRefusedWithTheFieldPathAndNothingIsWritten() throws Exception {
    try (TestGateway gateway = gateway("")) {
      TestResponse badUpstream = send(gateway, HttpMethod.PUT, "/admin/routes/orders",
          "{\"match\":{\"path-prefix\":\"orders\"},\"upstream\":\"nowhere\",\"timeout\":\"soon\"}");
      assertThat(badUpstream.status()).isEqualTo(400);
      JsonObject body = badUpstream.json();
      assertThat(body.getString("error")).isEqualTo("invalid_route");
      assertThat(body.getString("key")).isEqualTo("/portico/routes/orders");
      assertThat(body.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("path")))
          .contains("upstream", "timeout");
      assertThat(kv.get("/portico/routes/orders")).isNull();

      TestResponse unknownField = send(gateway, HttpMethod.PUT, "/admin/routes/orders",
          "{\"match\":{\"path-prefx\":\"/orders\"},\"upstream\":\"app\"}");
      assertThat(unknownField.status()).isEqualTo(400);
      assertThat(unknownField.json().getJsonArray("errors").getJsonObject(0).getString("path")).isEqualTo("match.path-prefx");

      TestResponse notJson = send(gateway, HttpMethod.PUT, "/admin/routes/orders", "{nope");
      assertThat(notJson.status()).isEqualTo(400);
      assertThat(notJson.json().getString("error")).isEqualTo("invalid_json");

      TestResponse otherName = send(gateway, HttpMethod.PUT, "/admin/routes/orders",
          "{\"name\":\"billing\",\"match\":{\"path-prefix\":\"/orders\"},\"upstream\":\"app\"}");
      assertThat(otherName.status()).isEqualTo(400);
      assertThat(otherName.json().getJsonArray("errors").getJsonObject(0).getString("path")).isEqualTo("name");

      assertThat(send(gateway, HttpMethod.PUT, "/admin/routes/bad%2Fname", route("/x", "app")).status()).isEqualTo(400);
      assertThat(kv.get("/portico/routes/orders")).isNull();
    }
  }

  @Test
  void anAdminChangeThatWouldBreakOtherEntriesIsRefused() throws Exception {
    try (TestGateway gateway = gateway("")) {
      assertThat(send(gateway, HttpMethod.PUT, "/admin/upstreams/orders", "{\"endpoints\":[\"" + backend.address() + "\"]}")
          .status()).isEqualTo(201);
      TestResponse route = send(gateway, HttpMethod.PUT, "/admin/routes/orders", route("/orders", "orders"));
      assertThat(route.status()).as(route.toString()).isEqualTo(201); // checked against the upstream just written

      TestResponse delete = send(gateway, HttpMethod.DELETE, "/admin/upstreams/orders", null);
      assertThat(delete.status()).as(delete.toString()).isEqualTo(409);
      assertThat(delete.json().getString("error")).isEqualTo("would_invalidate_others");
      assertThat(delete.json().encode()).contains("/portico/routes/orders").contains("no upstream named");
      assertThat(kv.get("/portico/upstreams/orders")).isNotNull();

      TestResponse fileUpstream = send(gateway, HttpMethod.DELETE, "/admin/upstreams/app", null);
      assertThat(fileUpstream.status()).isEqualTo(404);
      assertThat(fileUpstream.json().getString("message")).contains("config files");
    }
  }

  @Test
  void adminWritesNeedTheTokenWhenOneIsSet() throws Exception {
    try (TestGateway gateway = gateway("admin: { token: s3cret }")) {
      assertThat(send(gateway, HttpMethod.PUT, "/admin/routes/orders", route("/orders", "app")).status()).isEqualTo(401);
      assertThat(kv.get("/portico/routes/orders")).isNull();
      assertThat(send(gateway, HttpMethod.PUT, "/admin/routes/orders", route("/orders", "app"),
          "Authorization", "Bearer s3cret").status()).isEqualTo(201);
    }
  }

  @Test
  void aWriteCheckedAgainstAnOutdatedEntryIsAConflict() throws Exception {
    try (TestGateway gateway = gateway("")) {
      EtcdConfigStore store = (EtcdConfigStore) gateway.server().configStore().store();
      long first = kv.put("/portico/routes/orders", route("/orders", "app"));
      kv.put("/portico/routes/orders", route("/orders2", "app"));
      var stale = store.put(io.portico.spi.ConfigStore.Kind.ROUTE, "orders", route("/x", "app"), first);
      await().atMost(WAIT).until(stale::isComplete);
      assertThat(stale.cause()).isInstanceOf(io.portico.spi.ConfigStore.StaleWriteException.class)
          .hasMessageContaining("changed meanwhile");
      var create = store.put(io.portico.spi.ConfigStore.Kind.ROUTE, "orders", route("/x", "app"), 0);
      await().atMost(WAIT).until(create::isComplete);
      assertThat(create.cause()).isInstanceOf(io.portico.spi.ConfigStore.StaleWriteException.class);
    }
  }

  @Test
  void withoutAConfigStoreRouteWritesAreRefusedClearly() {
    try (TestGateway gateway = TestGateway.start("""
        upstreams: [{ name: app, endpoints: [%s] }]
        routes: [{ name: files, match: { path-prefix: /files }, upstream: app }]
        """.formatted(backend.address()))) {
      TestResponse put = send(gateway, HttpMethod.PUT, "/admin/routes/orders", route("/orders", "app"));
      assertThat(put.status()).isEqualTo(409);
      assertThat(put.json().getString("error")).isEqualTo("no_config_store");
      assertThat(put.json().getString("message")).contains("config.etcd");
    }
  }
}
