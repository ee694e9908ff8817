package io.portico.plugins.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.portico.testkit.TestResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Global plugins written through {@code PUT/DELETE /admin/plugins/{name}} to a real etcd. */
class EtcdPluginWritesTest {
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

  private static TestResponse send(TestGateway gateway, HttpMethod method, String path, String body) {
    var request = gateway.adminRequest(method, path);
    return body == null ? request.send() : request.body(body).send();
  }

  @Test
  void aGlobalPluginIsWrittenCheckedAndDeleted() throws Exception {
    try (TestGateway gateway = TestGateway.start("""
        config: { etcd: { endpoints: [%s] } }
        upstreams: [{ name: app, endpoints: [%s] }]
        routes: [{ name: files, match: { path-prefix: /files }, upstream: app }]
        """.formatted(etcd.url(), backend.address()))) {
      TestResponse put = send(gateway, HttpMethod.PUT, "/admin/plugins/headers", "{\"response\":{\"set\":{\"X-Global\":\"yes\"}}}");
      assertThat(put.status()).as(put.toString()).isEqualTo(201);
      assertThat(put.json().getBoolean("applied")).isTrue();
      assertThat(put.json().getString("key")).isEqualTo("/portico/plugins");
      assertThat(new JsonObject(kv.get("/portico/plugins").getValue().toString(java.nio.charset.StandardCharsets.UTF_8))
          .getJsonObject("headers")).isNotNull();
      assertThat(gateway.get("/files/1").header("X-Global")).isEqualTo("yes");

      TestResponse second = send(gateway, HttpMethod.PUT, "/admin/plugins/request-id", "{}");
      assertThat(second.status()).as(second.toString()).isEqualTo(201);
      assertThat(gateway.get("/files/2").header("X-Global")).isEqualTo("yes"); // the first one kept

      TestResponse invalid = send(gateway, HttpMethod.PUT, "/admin/plugins/headers", "{\"respons\":{}}");
      assertThat(invalid.status()).as(invalid.toString()).isEqualTo(400);
      assertThat(invalid.bodyAsString()).contains("respons");
      assertThat(gateway.get("/files/3").header("X-Global")).isEqualTo("yes");

      TestResponse delete = send(gateway, HttpMethod.DELETE, "/admin/plugins/headers", null);
      assertThat(delete.status()).as(delete.toString()).isEqualTo(200);
      assertThat(gateway.get("/files/4").header("X-Global")).isNull();
      assertThat(send(gateway, HttpMethod.DELETE, "/admin/plugins/headers", null).status()).isEqualTo(404);
      assertThat(send(gateway, HttpMethod.DELETE, "/admin/plugins/request-id", null).status()).isEqualTo(200);
      assertThat(kv.get("/portico/plugins")).isNull();
    }
  }

  @Test
  void withoutAConfigStoreAPluginWriteIsRefused() {
    try (TestGateway gateway = TestGateway.start("""
        upstreams: [{ name: app, endpoints: [%s] }]
        routes: [{ name: files, match: { path-prefix: /files }, upstream: app }]
        """.formatted(backend.address()))) {
      TestResponse put = send(gateway, HttpMethod.PUT, "/admin/plugins/headers", "{}");
      assertThat(put.status()).isEqualTo(409);
      assertThat(put.json().getString("error")).isEqualTo("no_config_store");
    }
  }
}
