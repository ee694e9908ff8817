package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.Http;
import io.portico.testing.Http.Answer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the client gets when the upstream is slow, absent or breaks the connection. */
class UpstreamFailuresTest {
  static Vertx vertx;
  static HttpServer silent;
  static NetServer hangUp;
  static NetServer malformed;
  static HttpServer truncating;
  static Gateway gateway;
  static HttpClient client;

  @BeforeAll
  static void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    silent = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> { /* never answers */ });
    Await.result(silent.listen());
    hangUp = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0))
        .connectHandler(socket -> socket.handler(bytes -> socket.close()));
    Await.result(hangUp.listen());
    malformed = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0))
        .connectHandler(socket -> socket.handler(bytes ->
            socket.write("HTTP/1.1 2x0 OK\r\ncontent-length: 2\r\n\r\nok")));
    Await.result(malformed.listen());
    truncating = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)).requestHandler(request -> {
      request.response().putHeader("content-length", "1000").write("only the beginning");
      vertx.setTimer(100, t -> request.connection().close());
    });
    Await.result(truncating.listen());
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - { name: silent, endpoints: [127.0.0.1:%d] }
          - { name: refused, endpoints: [127.0.0.1:%d], connect-timeout: 500ms }
          - { name: hang-up, endpoints: [127.0.0.1:%d] }
          - { name: truncating, endpoints: [127.0.0.1:%d] }
          - { name: malformed, endpoints: [127.0.0.1:%d] }
        routes:
          - { name: slow, match: { path-prefix: /slow }, upstream: silent, timeout: 300ms }
          - { name: refused, match: { path-prefix: /refused }, upstream: refused }
          - { name: hang-up, match: { path-prefix: /hang-up }, upstream: hang-up }
          - { name: truncated, match: { path-prefix: /truncated }, upstream: truncating }
          - { name: malformed, match: { path-prefix: /malformed }, upstream: malformed }
        """.formatted(silent.actualPort(), Http.closedPort(), hangUp.actualPort(), truncating.actualPort(),
            malformed.actualPort()))));
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
  }

  static void assertError(Answer answer, int status, String error) {
    assertThat(answer.status()).isEqualTo(status);
    JsonObject json = new JsonObject(answer.body());
    assertThat(json.getString("error")).isEqualTo(error);
    assertThat(json.getString("request_id")).isNotBlank();
  }

  @Test
  void slowUpstreamGives504AtTheRouteTimeout() {
    long start = System.nanoTime();
    Answer answer = Http.send(client, new RequestOptions().setURI("/slow"));

    assertError(answer, 504, "upstream_timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> gateway.inFlight() == 0);
  }

  @Test
  void refusedConnectionGives502() {
    assertError(Http.send(client, new RequestOptions().setURI("/refused")), 502, "upstream_connect_failure");
  }

  @Test
  void connectionClosedBeforeTheAnswerGives502() {
    assertError(Http.send(client, new RequestOptions().setURI("/hang-up")), 502, "upstream_reset");
  }

  @Test
  void aMalformedUpstreamAnswerGives502() {
    assertError(Http.send(client, new RequestOptions().setURI("/malformed")), 502, "upstream_reset");
  }

  @Test
  void upstreamBreakingOffMidBodyCutsTheClientResponse() {
    Throwable failure = Await.failure(client.request(new RequestOptions().setURI("/truncated"))
        .compose(request -> request.send().compose(response -> response.body())));

    assertThat(failure).isNotNull();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> gateway.inFlight() == 0);
  }
}
