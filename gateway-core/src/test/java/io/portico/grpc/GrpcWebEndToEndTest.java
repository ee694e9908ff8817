package io.portico.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.GrpcBackend;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC-Web from a browser's point of view against a real grpc-java server behind an h2c upstream:
 * a grpc-web call, binary or base64 text, gets the message the server sent and its trailers
 * (status and custom ones) in the body's trailer frame; a server's error and the gateway's own
 * answers arrive as grpc-web statuses.
 */
class GrpcWebEndToEndTest {
  @TempDir
  Path dir;
  Vertx vertx;
  Vertx clients;
  GrpcBackend backend;
  Gateway gateway;
  HttpClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    clients = Vertx.vertx();
    backend = GrpcBackend.start();
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - { name: grpc, endpoints: [127.0.0.1:%d], protocol: h2c }
        routes:
          - { name: echo, match: { path-prefix: /test.Echo/ }, upstream: grpc, grpc-web: true, timeout: 10s }
        """.formatted(backend.port()))));
    client = clients.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1)
        .setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
  }

  @AfterEach
  void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(clients.close());
    Await.result(vertx.close());
    backend.close();
  }

  record Answer(int status, MultiMap headers, Buffer body) {}

  private Answer post(String uri, String contentType, Buffer body) {
    return Await.result(client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(uri)
            .putHeader("content-type", contentType).putHeader("x-grpc-web", "1"))
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(b -> new Answer(response.statusCode(), response.headers(), b)))
        .timeout(10, TimeUnit.SECONDS));
  }

  private static Buffer frame(String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer().appendByte((byte) 0).appendInt(bytes.length).appendBytes(bytes);
  }

  /**
   * The body's frames: the data frame's message and the trailer frame's fields (HTTP/1 header
   * lines, {@code name: value}, optional whitespace after the colon), names lower-cased.
   */
  private record Frames(String message, Map<String, String> trailers) {}

  private static Frames frames(Buffer body) {
    String message = null;
    Map<String, String> trailers = new HashMap<>();
    int at = 0;
    while (at < body.length()) {
      byte flags = body.getByte(at);
      int length = body.getInt(at + 1);
      String content = body.getString(at + 5, at + 5 + length, "UTF-8");
      if ((flags & 0x80) != 0) {
        for (String line : content.split("\r\n")) {
          int colon = line.indexOf(':');
          trailers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
      } else {
        message = content;
      }
      at += 5 + length;
    }
    return new Frames(message, trailers);
  }

  @Test
  void aBinaryCallGetsTheServersMessageAndTrailersInTheBody() {
    Answer answer = post("/test.Echo/Unary", "application/grpc-web+proto", frame("trailer"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("content-type")).startsWith("application/grpc-web");
    Frames frames = frames(answer.body());
    assertThat(frames.message()).isEqualTo("trailer");
    assertThat(frames.trailers()).containsEntry("grpc-status", "0").containsEntry("x-custom", "yes");
    assertThat(backend.calls()).isEqualTo(1);
  }

  @Test
  void aTextCallGetsTheSameAnswerInBase64() {
    Buffer request = Buffer.buffer(Base64.getEncoder().encode(frame("trailer").getBytes()));
    Answer answer = post("/test.Echo/Unary", "application/grpc-web-text", request);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("content-type")).isEqualTo("application/grpc-web-text");
    // the answer may be several base64 pieces, each padded: decode them one by one
    Buffer decoded = Buffer.buffer();
    for (String piece : answer.body().toString(StandardCharsets.US_ASCII).split("(?<==)(?=[^=])")) {
      decoded.appendBytes(Base64.getDecoder().decode(piece));
    }
    Frames frames = frames(decoded);
    assertThat(frames.message()).isEqualTo("trailer");
    assertThat(frames.trailers()).containsEntry("grpc-status", "0").containsEntry("x-custom", "yes");
  }

  @Test
  void aServerErrorArrivesAsAGrpcWebStatusWithItsMetadata() {
    Answer answer = post("/test.Echo/Unary", "application/grpc-web+proto", frame("fail:5"));

    assertThat(answer.status()).isEqualTo(200);
    // grpc-java answers an error before any message trailers-only; the status stays in the head
    assertThat(answer.headers().get("grpc-status")).isEqualTo("5");
    assertThat(answer.headers().get("x-detail")).isEqualTo("why");
    assertThat(answer.body().length()).isZero();
  }

  @Test
  void theGatewaysOwnAnswerIsAGrpcWebStatus() {
    Answer answer = post("/no.Such/Method", "application/grpc-web+proto", frame("x"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("content-type")).startsWith("application/grpc");
    assertThat(answer.headers().get("grpc-status")).isEqualTo("12"); // UNIMPLEMENTED
    assertThat(backend.calls()).isZero();
  }
}
