package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyBasicsTest {
  static Vertx vertx;
  static RecordingBackend backend;
  static Gateway gateway;
  static HttpClient client;

  @BeforeAll
  static void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    backend = RecordingBackend.start(vertx, request -> request.response()
        .putHeader("content-type", "text/plain")
        .putHeader("x-backend", "yes")
        .putHeader("connection", "keep-alive, x-secret-hop")
        .putHeader("x-secret-hop", "must not reach the client")
        .putHeader("keep-alive", "timeout=5")
        .end(request.method() + " " + request.uri()));
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 2 }
        upstreams:
          - name: backend
            endpoints: [%s]
        routes:
          - name: api
            match: { path-prefix: /api }
            upstream: backend
            timeout: 5s
          - name: stripped
            match: { path-prefix: /strip }
            upstream: backend
            strip-prefix: true
        """.formatted(backend.address()))));
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
  }

  record Answer(int status, io.vertx.core.MultiMap headers, String body) {}

  static Answer send(RequestOptions options, Buffer body) {
    return Await.result(client.request(options)
        .compose(request -> (body == null ? request.send() : request.send(body)) // nested: no race off the loop
            .compose(response -> response.body().map(b -> new Answer(response.statusCode(), response.headers(), b.toString())))));
  }

  @Test
  void getIsProxiedWithHeadersBothWays() {
    Answer answer = send(new RequestOptions().setURI("/api/items?x=1").putHeader("x-client", "hello"), null);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("GET /api/items?x=1");
    assertThat(answer.headers().get("x-backend")).isEqualTo("yes");
    RecordingBackend.Received seen = backend.last();
    assertThat(seen.header("x-client")).isEqualTo("hello");
    assertThat(seen.header("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(seen.header("x-forwarded-proto")).isEqualTo("http");
    assertThat(seen.header("x-forwarded-host")).isEqualTo("127.0.0.1:" + gateway.port());
    assertThat(seen.header("host")).isEqualTo("127.0.0.1:" + gateway.port());
    assertThat(seen.header("x-request-id")).isNotBlank();
  }

  @Test
  void postBodyIsStreamedToTheBackend() {
    Answer answer = send(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/orders"),
        Buffer.buffer("{\"order\":42}"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("POST /api/orders");
    assertThat(backend.last().body().toString()).isEqualTo("{\"order\":42}");
    assertThat(backend.last().header("content-length")).isEqualTo("12");
  }

  @Test
  void stripPrefixForwardsTheRest() {
    Answer answer = send(new RequestOptions().setURI("/strip/a/b"), null);

    assertThat(answer.body()).isEqualTo("GET /a/b");
  }

  @Test
  void hopByHopHeadersAreStrippedBothWays() {
    Answer answer = send(new RequestOptions().setURI("/api/hop")
        .putHeader("connection", "keep-alive, x-named-hop")
        .putHeader("x-named-hop", "secret")
        .putHeader("te", "trailers")
        .putHeader("proxy-authorization", "Basic Zm9vOmJhcg==")
        .putHeader("upgrade", "something")
        .addHeader("connection", "x-second-hop")
        .putHeader("x-second-hop", "named by a second connection header"), null);

    assertThat(answer.status()).isEqualTo(200);
    RecordingBackend.Received seen = backend.last();
    assertThat(seen.header("x-named-hop")).isNull();
    assertThat(seen.header("te")).isNull();
    assertThat(seen.header("proxy-authorization")).isNull();
    assertThat(seen.header("upgrade")).isNull();
    assertThat(seen.header("x-second-hop")).isNull();
    assertThat(seen.header("connection")).isNull();
    assertThat(answer.headers().get("x-secret-hop")).isNull();
    assertThat(answer.headers().get("keep-alive")).isNull();
  }

  @Test
  void untrustedForwardingHeadersAreReplaced() {
    send(new RequestOptions().setURI("/api/fwd")
        .putHeader("x-forwarded-for", "6.6.6.6")
        .putHeader("x-forwarded-proto", "https")
        .putHeader("x-forwarded-host", "evil.example")
        .putHeader("x-forwarded-prefix", "/evil")
        .putHeader("forwarded", "for=6.6.6.6"), null);

    RecordingBackend.Received seen = backend.last();
    assertThat(seen.headers().getAll("x-forwarded-for")).containsExactly("127.0.0.1");
    assertThat(seen.header("x-forwarded-proto")).isEqualTo("http");
    assertThat(seen.header("x-forwarded-host")).isEqualTo("127.0.0.1:" + gateway.port());
    assertThat(seen.header("x-forwarded-prefix")).isNull();
    assertThat(seen.header("forwarded")).isNull();
  }

  @Test
  void saneRequestIdIsKeptAndOthersReplaced() {
    send(new RequestOptions().setURI("/api/id").putHeader("x-request-id", "abc-123_X.y"), null);
    assertThat(backend.last().header("x-request-id")).isEqualTo("abc-123_X.y");

    send(new RequestOptions().setURI("/api/id").putHeader("x-request-id", "bad id<script>"), null);
    assertThat(backend.last().header("x-request-id")).isNotEqualTo("bad id<script>").matches("[A-Za-z0-9._-]+");
  }

  @Test
  void theNormalisedPathIsWhatIsMatchedAndForwarded() {
    Answer answer = send(new RequestOptions().setURI("/api/./items/%7Euser/../x?q=1"), null);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(backend.last().uri()).isEqualTo("/api/items/x?q=1");
  }

  @Test
  void pathsThatCannotBeNormalisedSafelyAre400() {
    for (String bad : new String[] {"/api/a%2Fb", "/api/../../etc/passwd", "/api/%zz", "/api/a%5cb"}) {
      Answer answer = send(new RequestOptions().setURI(bad), null);
      assertThat(answer.status()).as(bad).isEqualTo(400);
      assertThat(new JsonObject(answer.body()).getString("error")).as(bad).isEqualTo("bad_path");
    }
  }

  @Test
  void noRouteIsA404WithJsonAndRequestId() {
    Answer answer = send(new RequestOptions().setURI("/nothing/here").putHeader("x-request-id", "req-1"), null);

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.headers().get("content-type")).isEqualTo("application/json");
    JsonObject json = new JsonObject(answer.body());
    assertThat(json.getString("error")).isEqualTo("no_route");
    assertThat(json.getString("request_id")).isEqualTo("req-1");
    assertThat(json.getString("message")).isNotBlank();
  }

  @Test
  void keepAliveConnectionIsReused() {
    HttpClient single = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(gateway.port()), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(1));
    java.util.Set<String> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 5; i++) {
      HttpClientResponse response = Await.result(single.request(new RequestOptions().setURI("/api/k"))
          .compose(r -> r.send().compose(answer -> answer.body().map(b -> answer))));
      connections.add(response.request().connection().localAddress().toString());
      assertThat(response.statusCode()).isEqualTo(200);
    }
    assertThat(connections).hasSize(1);
    Await.result(single.close());
  }
}
