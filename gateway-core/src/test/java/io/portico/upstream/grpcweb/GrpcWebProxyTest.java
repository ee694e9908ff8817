package io.portico.upstream.grpcweb;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.RecordingBackend;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC-Web through the gateway to a gRPC answer with trailers. The backend is an HTTP/1.1 server
 * answering as a gRPC server would (chunked, framed message, {@code grpc-status} and a custom
 * trailer as HTTP/1.1 trailers), so the translation is tested apart from the upstream protocol.
 */
class GrpcWebProxyTest {
  private static final byte[] TRAILERS = "grpc-status: 0\r\nx-custom: yes\r\n".getBytes(StandardCharsets.US_ASCII);

  @TempDir
  Path dir;
  Vertx backends;
  Vertx vertx;
  Vertx clients;
  Gateway gateway;
  RecordingBackend backend;

  @BeforeEach
  void start() {
    backends = Vertx.vertx();
    vertx = Vertx.vertx();
    clients = Vertx.vertx();
    backend = RecordingBackend.start(backends, request -> answerLikeGrpc(request, backend.last().body()));
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - { name: orders, endpoints: [%s] }
        routes:
          - { name: web, match: { path-prefix: /orders.v1.Orders/ }, upstream: orders, grpc-web: true }
          - { name: plain, match: { path-prefix: / }, upstream: orders }
        """.formatted(backend.address()))));
  }

  @AfterEach
  void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(clients.close());
    Await.result(vertx.close());
    Await.result(backends.close());
  }

  /**
   * Answers {@code "echo:" + message} for a framed request, with the trailers {@code grpc-status: 0}
   * and {@code x-custom: yes}; a message {@code fail} gets a trailers-only answer with status 5.
   */
  private static void answerLikeGrpc(HttpServerRequest request, Buffer body) {
    String message = body.length() >= 5 ? body.getString(5, body.length()) : "";
    String type = request.getHeader("content-type");
    if (message.equals("fail")) {
      request.response().putHeader("content-type", "application/grpc").putHeader("grpc-status", "5")
          .putHeader("grpc-message", "no such order").end();
      return;
    }
    request.response().setChunked(true).putHeader("content-type", type == null ? "text/plain" : type)
        .putTrailer("grpc-status", "0").putTrailer("x-custom", "yes")
        .end(frame("echo:" + message));
  }

  private static Buffer frame(String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer().appendByte((byte) 0).appendInt(bytes.length).appendBytes(bytes);
  }

  private static Buffer trailerFrame() {
    return Buffer.buffer().appendByte((byte) 0x80).appendInt(TRAILERS.length).appendBytes(TRAILERS);
  }

  private HttpClient client(HttpVersion version) {
    return clients.createHttpClient(new HttpClientOptions().setProtocolVersion(version).setHttp2ClearTextUpgrade(false)
        .setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
  }

  record Answer(HttpVersion version, int status, MultiMap headers, Buffer body, MultiMap trailers) {}

  /** Sends {@code chunks} as the body, one write each. */
  private static Answer post(HttpClient client, String uri, String contentType, List<Buffer> chunks) {
    return Await.result(client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(uri)
            .putHeader("content-type", contentType).putHeader("x-grpc-web", "1")
            .putHeader("x-user-agent", "grpc-web-javascript/0.1"))
        .compose(request -> {
          if (chunks.size() > 1) {
            request.setChunked(true);
          }
          for (int i = 0; i < chunks.size() - 1; i++) {
            request.write(chunks.get(i));
          }
          return request.end(chunks.get(chunks.size() - 1)).compose(v -> request.response());
        })
        .compose(response -> response.body().map(body ->
            new Answer(response.version(), response.statusCode(), response.headers(), body, response.trailers())))
        .timeout(10, TimeUnit.SECONDS));
  }

  private static Buffer base64(Buffer bytes) {
    return Buffer.buffer(Base64.getEncoder().encode(bytes.getBytes()));
  }

  @Test
  void aBinaryGrpcWebCallGetsTheMessageAndTheTrailersInTheBody() {
    for (HttpVersion version : List.of(HttpVersion.HTTP_1_1, HttpVersion.HTTP_2)) {
      Answer answer = post(client(version), "/orders.v1.Orders/Get", "application/grpc-web+proto",
          List.of(frame("order-1")));

      assertThat(answer.version()).isEqualTo(version);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.headers().get("content-type")).isEqualTo("application/grpc-web+proto");
      assertThat(answer.body()).isEqualTo(frame("echo:order-1").appendBuffer(trailerFrame()));
      assertThat(answer.trailers().isEmpty()).isTrue();
      RecordingBackend.Received seen = backend.last();
      assertThat(seen.header("content-type")).isEqualTo("application/grpc+proto");
      assertThat(seen.header("te")).isEqualTo("trailers");
      assertThat(seen.header("x-grpc-web")).isEqualTo("1");
      assertThat(seen.body()).isEqualTo(frame("order-1"));
    }
  }

  @Test
  void aTextGrpcWebCallInSeveralPaddedChunksIsDecodedAndTheAnswerEncoded() {
    for (HttpVersion version : List.of(HttpVersion.HTTP_1_1, HttpVersion.HTTP_2)) {
      // one message encoded in two padded base64 pieces, the second one split across writes
      Buffer message = frame("order-2");
      Buffer first = base64(message.getBuffer(0, 4));
      Buffer second = base64(message.getBuffer(4, message.length()));
      Answer answer = post(client(version), "/orders.v1.Orders/Get", "application/grpc-web-text",
          List.of(first, second.getBuffer(0, 5), second.getBuffer(5, second.length())));

      assertThat(answer.version()).isEqualTo(version);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.headers().get("content-type")).isEqualTo("application/grpc-web-text");
      assertThat(answer.headers().get("content-length")).isNull();
      Buffer decoded = Buffer.buffer(Base64.getDecoder().decode(answer.body().toString(StandardCharsets.US_ASCII)));
      assertThat(decoded).isEqualTo(frame("echo:order-2").appendBuffer(trailerFrame()));
      RecordingBackend.Received seen = backend.last();
      assertThat(seen.header("content-type")).isEqualTo("application/grpc");
      assertThat(seen.header("te")).isEqualTo("trailers");
      assertThat(seen.header("content-length")).isNull();
      assertThat(seen.body()).isEqualTo(message);
    }
  }

  @Test
  void aTextRequestOfKnownLengthIsDecodedToo() {
    Answer answer = post(client(HttpVersion.HTTP_1_1), "/orders.v1.Orders/Get", "application/grpc-web-text+proto",
        List.of(base64(frame("order-3"))));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("content-type")).isEqualTo("application/grpc-web-text+proto");
    assertThat(Buffer.buffer(Base64.getDecoder().decode(answer.body().getBytes())))
        .isEqualTo(frame("echo:order-3").appendBuffer(trailerFrame()));
    assertThat(backend.last().body()).isEqualTo(frame("order-3"));
  }

  @Test
  void aTrailersOnlyAnswerKeepsItsStatusInTheHead() {
    Answer answer = post(client(HttpVersion.HTTP_1_1), "/orders.v1.Orders/Get", "application/grpc-web",
        List.of(frame("fail")));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("content-type")).isEqualTo("application/grpc-web");
    assertThat(answer.headers().get("grpc-status")).isEqualTo("5");
    assertThat(answer.headers().get("grpc-message")).isEqualTo("no such order");
    assertThat(answer.body().length()).isZero();
  }

  @Test
  void aRouteWithoutGrpcWebLeavesGrpcWebRequestsAsTheyAre() {
    Buffer text = base64(frame("order-4"));
    Answer answer = post(client(HttpVersion.HTTP_1_1), "/other/Get", "application/grpc-web-text", List.of(text));

    assertThat(answer.status()).isEqualTo(200);
    RecordingBackend.Received seen = backend.last();
    assertThat(seen.header("content-type")).isEqualTo("application/grpc-web-text");
    assertThat(seen.body()).isEqualTo(text);
    assertThat(answer.headers().get("content-type")).isEqualTo("application/grpc-web-text");
  }

  @Test
  void aTextBodyThatIsNotBase64NeverReachesTheUpstreamAsGarbage() {
    for (HttpVersion version : List.of(HttpVersion.HTTP_1_1, HttpVersion.HTTP_2)) {
      io.vertx.core.Future<Answer> answer = clients.executeBlocking(() -> post(client(version), "/orders.v1.Orders/Get",
          "application/grpc-web-text", List.of(Buffer.buffer("AAAA"), Buffer.buffer("not base64!"))));
      // the request is reset: the client's call fails rather than hanging or getting a made-up answer
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(answer::isComplete);
      assertThat(answer.failed()).isTrue();
      assertThat(answer.cause()).hasMessageNotContaining("Timeout"); // reset, not left hanging
    }
    assertThat(backend.received()).noneMatch(r -> r.body().toString().contains("not"));
  }
}
