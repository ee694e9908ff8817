package io.portico.plugins.essentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.portico.testkit.TestResponse;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EssentialPluginsTest {
  static TestBackend backend;
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    backend = TestBackend.start();
    gateway = TestGateway.start("""
        upstreams:
          - { name: b, endpoints: [%s] }
        routes:
          - name: headers
            match: { path-prefix: /headers }
            upstream: b
            plugins:
              headers:
                request: { set: { X-Set: one }, add: { X-Added: two }, remove: [X-Secret] }
                response: { set: { X-Served-By: portico }, remove: [X-Backend-Only] }
          - name: cors
            match: { path-prefix: /cors }
            upstream: b
            plugins:
              cors: { allow-origins: [https://app.example.com], allow-methods: [GET, PUT], allow-credentials: true, max-age: 60s }
          - name: private
            match: { path-prefix: /private }
            upstream: b
            plugins:
              ip-restriction: { allow: [10.0.0.0/8] }
          - name: local
            match: { path-prefix: /local }
            upstream: b
            plugins:
              ip-restriction: { allow: [127.0.0.0/8, "::1"], deny: [127.0.0.2] }
          - name: quiet
            match: { path-prefix: /quiet }
            upstream: b
            plugins:
              request-id: false
        plugins:
          request-id: { header: X-Trace-Id }
        """.formatted(backend.address()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    backend.close();
  }

  @Test
  void headersPluginEditsBothDirections() {
    TestResponse response = gateway.get("/headers/x", "X-Secret", "s3cret", "X-Added", "zero");
    assertThat(response.status()).isEqualTo(200);
    var seen = response.json().getJsonObject("headers");
    assertThat(seen.getString("x-set")).isEqualTo("one");
    assertThat(seen.containsKey("x-secret")).isFalse();
    assertThat(response.header("X-Served-By")).isEqualTo("portico");
    assertThat(backend.requests().get(backend.requestCount() - 1).headers().getAll("X-Added")).containsExactly("zero", "two");
  }

  @Test
  void globalRequestIdReachesBackendAndClientUnlessDisabled() {
    TestResponse response = gateway.get("/headers/id");
    String id = response.header("X-Trace-Id");
    assertThat(id).isNotBlank();
    assertThat(response.json().getJsonObject("headers").getString("x-trace-id")).isEqualTo(id);

    TestResponse quiet = gateway.get("/quiet/id");
    assertThat(quiet.status()).isEqualTo(200);
    assertThat(quiet.header("X-Trace-Id")).isNull();
    assertThat(quiet.json().getJsonObject("headers").containsKey("x-trace-id")).isFalse();
  }

  @Test
  void corsPreflightIsAnsweredAtTheGateway() {
    int before = backend.requestCount();
    TestResponse preflight = gateway.request(HttpMethod.OPTIONS, "/cors/items")
        .header("Origin", "https://app.example.com")
        .header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "X-Custom")
        .send();
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
    assertThat(preflight.header("Access-Control-Allow-Methods")).isEqualTo("GET, PUT");
    assertThat(preflight.header("Access-Control-Allow-Headers")).isEqualTo("X-Custom");
    assertThat(preflight.header("Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(preflight.header("Access-Control-Max-Age")).isEqualTo("60");
    assertThat(backend.requestCount()).isEqualTo(before);
  }

  @Test
  void corsHeadersOnlyForAllowedOrigins() {
    TestResponse allowed = gateway.get("/cors/items", "Origin", "https://app.example.com");
    assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
    assertThat(allowed.header("Vary")).contains("Origin");

    TestResponse other = gateway.get("/cors/items", "Origin", "https://evil.example.net");
    assertThat(other.status()).isEqualTo(200);
    assertThat(other.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void ipRestrictionRejectsClientsOutsideTheAllowList() {
    int before = backend.requestCount();
    TestResponse denied = gateway.get("/private/x");
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.json().getString("error")).isEqualTo("ip_forbidden");
    assertThat(denied.json().getString("request_id")).isNotBlank();
    assertThat(backend.requestCount()).isEqualTo(before);

    assertThat(gateway.get("/local/x").status()).isEqualTo(200);
  }
}
