package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.Http;
import io.portico.testing.Http.Answer;
import io.portico.testing.RawHttp;
import io.portico.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Body limits (413), bodies buffered for a plugin, and {@code Expect: 100-continue}. */
class RequestBodyTest {
  static Vertx vertx;
  static RecordingBackend backend;
  static Gateway gateway;
  static HttpClient client;

  @BeforeAll
  static void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    backend = RecordingBackend.start(vertx, request -> request.response()
        .end(request.method() + " " + request.uri() + " " + request.getHeader("x-body-length")));
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        limits: { max-body-size: 1000 }
        upstreams:
          - { name: app, endpoints: [%s] }
        routes:
          - { name: small, match: { path-prefix: /small }, upstream: app, max-body-size: 10 }
          - { name: read, match: { path-prefix: /read }, upstream: app, plugins: { trace-traffic: { read-body: 100 } } }
          - { name: default, upstream: app }
        """.formatted(backend.address()))));
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
  }

  @BeforeEach
  void clear() {
    backend.clear();
  }

  static Answer post(String uri, String body, boolean chunked) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(uri);
    return Await.result(client.request(options).compose(request -> {
      if (chunked) {
        request.setChunked(true);
        request.write(body.substring(0, body.length() / 2));
        return request.end(body.substring(body.length() / 2)).compose(v -> request.response())
            .compose(response -> response.body().map(b -> new Answer(response.statusCode(), response.headers(), b.toString())));
      }
      return request.send(Buffer.buffer(body))
          .compose(response -> response.body().map(b -> new Answer(response.statusCode(), response.headers(), b.toString())));
    }));
  }

  @Test
  void declaredLengthOverTheRouteLimitIs413WithoutCallingTheUpstream() {
    Answer answer = post("/small", "more than ten bytes", false);

    assertThat(answer.status()).isEqualTo(413);
    assertThat(new JsonObject(answer.body()).getString("error")).isEqualTo("body_too_large");
    assertThat(backend.heads()).isZero();
  }

  @Test
  void chunkedBodyGrowingPastTheLimitIs413AndNeverReachesTheUpstreamWhole() {
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(), "POST /small HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n", 3000);

    assertThat(exchange.status()).isEqualTo(413);
    assertThat(exchange.closed()).isTrue();
    assertThat(backend.received()).isEmpty();
  }

  @Test
  void theListenerDefaultLimitAppliesToRoutesWithoutOne() {
    assertThat(post("/big", "x".repeat(1001), false).status()).isEqualTo(413);
    assertThat(post("/fine", "x".repeat(1000), false).status()).isEqualTo(200);
  }

  @Test
  void aPluginReadingTheBodyGetsItOnceAndTheUpstreamGetsItToo() {
    Answer answer = post("/read/it", "hello body", true);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("POST /read/it 10");
    assertThat(backend.last().body().toString()).isEqualTo("hello body");
    assertThat(backend.last().header("content-length")).isEqualTo("10");
  }

  @Test
  void aBodyTooLargeForThePluginsReadIs413() {
    Answer answer = post("/read/big", "y".repeat(101), false);

    assertThat(answer.status()).isEqualTo(413);
    assertThat(new JsonObject(answer.body()).getString("error")).isEqualTo("body_too_large");
    assertThat(backend.heads()).isZero();
  }

  @Test
  void expectContinueIsAnsweredByTheGateway() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(3000);
      OutputStream out = socket.getOutputStream();
      out.write("POST /continue HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] buffer = new byte[1024];
      int n = socket.getInputStream().read(buffer);
      assertThat(new String(buffer, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 100 Continue");
      out.write("hello".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      n = socket.getInputStream().read(buffer);
      assertThat(new String(buffer, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200").contains("POST /continue");
    }
    assertThat(backend.last().body().toString()).isEqualTo("hello");
    assertThat(backend.last().header("expect")).isNull();
  }
}
