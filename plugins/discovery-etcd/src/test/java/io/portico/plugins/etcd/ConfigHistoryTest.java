package io.portico.plugins.etcd;

import static io.portico.plugins.etcd.EtcdKv.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.portico.testkit.TestResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /admin/config/history} and rollback, against a real etcd and against files. */
class ConfigHistoryTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

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

  private String files(String upstreams) {
    return """
        config: { etcd: { endpoints: [%s] } }
        upstreams: [%s]
        routes: [{ name: files, match: { path-prefix: /files }, upstream: app }]
        """.formatted(etcd.url(), upstreams);
  }

  private static TestResponse send(TestGateway gateway, HttpMethod method, String path, String body) {
    var request = gateway.adminRequest(method, path);
    return body == null ? request.send() : request.body(body).send();
  }

  /** The version whose changes list {@code kind} {@code name} as {@code how}, newest first. */
  private static String versionWhere(TestGateway gateway, String how, String kind, String name) {
    JsonArray history = gateway.admin("/admin/config/history").json().getJsonArray("history");
    for (Object item : history) {
      JsonObject applied = (JsonObject) item;
      JsonArray names = applied.getJsonObject("changes").getJsonObject(how).getJsonArray(kind);
      if (names != null && names.contains(name)) {
        return applied.getString("version");
      }
    }
    throw new AssertionError("no version with " + kind + " " + name + " " + how + " in " + history.encodePrettily());
  }

  @Test
  void twoEditsThenARollbackToTheFirstServesTheFirstAgain() {
    try (TestGateway gateway = TestGateway.start(files("{ name: app, endpoints: [%s] }".formatted(backend.address())))) {
      assertThat(send(gateway, HttpMethod.PUT, "/admin/routes/orders", route("/orders", "app")).status()).isEqualTo(201);
      assertThat(gateway.get("/orders/1").status()).isEqualTo(200);
      String first = versionWhere(gateway, "added", "routes", "orders");

      assertThat(send(gateway, HttpMethod.PUT, "/admin/routes/orders", route("/purchases", "app")).status()).isEqualTo(200);
      assertThat(gateway.get("/purchases/1").status()).isEqualTo(200);
      assertThat(gateway.get("/orders/1").status()).isEqualTo(404);
      String second = versionWhere(gateway, "modified", "routes", "orders");
      assertThat(second).isNotEqualTo(first);

      JsonObject shown = gateway.admin("/admin/config/history/" + first).json();
      assertThat(shown.getString("version")).isEqualTo(first);
      assertThat(shown.getJsonArray("store_entries").getJsonObject(0).getString("key")).isEqualTo("/portico/routes/orders");
      assertThat(gateway.admin("/admin/config/history").json().getString("current")).isEqualTo(second);

      TestResponse rollback = send(gateway, HttpMethod.POST, "/admin/config/rollback/" + first, null);
      assertThat(rollback.status()).as(rollback.toString()).isEqualTo(200);
      assertThat(rollback.json().getString("status")).isEqualTo("rolled_back");
      assertThat(rollback.json().getBoolean("applied")).isTrue();
      assertThat(gateway.get("/orders/1").status()).isEqualTo(200);
      assertThat(gateway.get("/purchases/1").status()).isEqualTo(404);
      // the same content again: the same version, now applied as a newer revision
      assertThat(gateway.server().currentConfig().version()).isEqualTo(first);

      assertThat(send(gateway, HttpMethod.POST, "/admin/config/rollback/nope", null).status()).isEqualTo(404);
      assertThat(send(gateway, HttpMethod.GET, "/admin/config/rollback/" + first, null).status()).isEqualTo(405);
    }
  }

  @Test
  void aRollbackToAVersionThatNoLongerValidatesIsRefusedWithItsErrors() {
    String both = "{ name: app, endpoints: [%s] }, { name: old, endpoints: [%s] }".formatted(backend.address(), backend.address());
    try (TestGateway gateway = TestGateway.start(files(both))) {
      assertThat(send(gateway, HttpMethod.PUT, "/admin/routes/orders", route("/orders", "old")).status()).isEqualTo(201);
      String first = versionWhere(gateway, "added", "routes", "orders");
      assertThat(send(gateway, HttpMethod.PUT, "/admin/routes/orders", route("/orders", "app")).status()).isEqualTo(200);
      // the files drop the upstream the first version's route used
      gateway.reload(files("{ name: app, endpoints: [%s] }".formatted(backend.address())));
      await().atMost(WAIT).until(() -> gateway.server().currentConfig().gateway().upstreams().size() == 1);
      String before = gateway.server().currentConfig().version();

      TestResponse refused = send(gateway, HttpMethod.POST, "/admin/config/rollback/" + first, null);
      assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
      assertThat(refused.json().getString("error")).isEqualTo("rollback_invalid");
      assertThat(refused.bodyAsString()).contains("/portico/routes/orders").contains("old");
      assertThat(gateway.server().currentConfig().version()).isEqualTo(before);
      assertThat(gateway.get("/orders/1").status()).isEqualTo(200);
    }
  }

  @Test
  void withFilesTheHistoryListsChangesAndARollbackIsRefused() {
    try (TestGateway gateway = TestGateway.start("""
        upstreams: [{ name: app, endpoints: [%s] }]
        routes: [{ name: files, match: { path-prefix: /files }, upstream: app }]
        """.formatted(backend.address()))) {
      gateway.reload("""
          upstreams: [{ name: app, endpoints: [%s] }]
          routes:
            - { name: files, match: { path-prefix: /documents }, upstream: app }
            - { name: extra, match: { path-prefix: /extra }, upstream: app }
          plugins: { request-id: {} }
          """.formatted(backend.address()));
      JsonObject latest = gateway.admin("/admin/config/history").json().getJsonArray("history").getJsonObject(0);
      JsonObject changes = latest.getJsonObject("changes");
      assertThat(changes.getJsonObject("added").getJsonArray("routes")).containsExactly("extra");
      assertThat(changes.getJsonObject("added").getJsonArray("plugins")).containsExactly("request-id");
      assertThat(changes.getJsonObject("modified").getJsonArray("routes")).containsExactly("files");
      assertThat(changes.getJsonObject("modified").containsKey("upstreams")).isFalse();
      assertThat(latest.getBoolean("rollback")).isFalse();

      TestResponse refused = send(gateway, HttpMethod.POST, "/admin/config/rollback/" + latest.getString("version"), null);
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.json().getString("message")).contains("edit");
    }
  }
}
