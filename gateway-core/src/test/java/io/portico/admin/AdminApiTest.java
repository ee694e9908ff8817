package io.portico.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.PorticoServer;
import io.portico.testing.Http;
import io.portico.testing.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API's routing, token check, body limit and JSON errors, on a real admin server. */
class AdminApiTest {
  private static final String TOKEN = "s3cret";
  private static final String YAML = """
      listen: { host: 127.0.0.1, port: 0 }
      admin: { host: 127.0.0.1, port: 0, token: %s }
      upstreams:
        - { name: users, endpoints: [ { address: "127.0.0.1:9" } ] }
      routes:
        - { name: all, match: { path-prefix: / }, upstream: users }
      """.formatted(TOKEN);

  @TempDir
  Path dir;
  Vertx vertx;
  HttpClient client;
  PorticoServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient();
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, YAML);
    server = PorticoServer.builder().config(config).vertx(vertx).start().toCompletionStage().toCompletableFuture().get();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private RequestOptions admin(HttpMethod method, String path) {
    return new RequestOptions().setHost("127.0.0.1").setPort(server.adminPort()).setMethod(method).setURI(path)
        .putHeader("authorization", "Bearer " + TOKEN);
  }

  @Test
  void probesNeedNoToken() {
    Http.Answer alive = Http.send(client, new RequestOptions().setHost("127.0.0.1").setPort(server.adminPort())
        .setURI("/healthz"));
    assertThat(alive.status()).isEqualTo(200);
    assertThat(new JsonObject(alive.body()).getString("status")).isEqualTo("alive");
  }

  @Test
  void adminPathsNeedTheToken() {
    Http.Answer refused = Http.send(client, new RequestOptions().setHost("127.0.0.1").setPort(server.adminPort())
        .setURI("/admin/routes"));
    assertThat(refused.status()).isEqualTo(401);
    assertThat(new JsonObject(refused.body()).getString("error")).isEqualTo("admin_token_required");
    assertThat(Http.send(client, admin(HttpMethod.GET, "/admin/routes")).status()).isEqualTo(200);
  }

  @Test
  void readsAreGetOnlyAndUnknownPathsAreJson404() {
    Http.Answer post = Http.send(client, admin(HttpMethod.POST, "/admin/routes"));
    assertThat(post.status()).isEqualTo(405);
    assertThat(new JsonObject(post.body()).getString("error")).isEqualTo("method_not_allowed");

    Http.Answer missing = Http.send(client, admin(HttpMethod.GET, "/admin/nothing-here"));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(new JsonObject(missing.body()))
        .isEqualTo(new JsonObject().put("error", "not_found").put("path", "/admin/nothing-here"));
  }

  @Test
  void aWriteWithoutAStoreIsRefusedAndABadBodyIs400() {
    Http.Answer route = Http.send(client, admin(HttpMethod.PUT, "/admin/routes/r1"), Buffer.buffer("{}"));
    assertThat(route.status()).isEqualTo(409);
    assertThat(new JsonObject(route.body()).getString("error")).isEqualTo("no_config_store");

    Http.Answer notJson = Http.send(client, admin(HttpMethod.PUT, "/admin/services/users/instances/u1"),
        Buffer.buffer("{not json"));
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(new JsonObject(notJson.body()).getString("error")).isEqualTo("invalid_json");
  }

  @Test
  void aDeclaredBodyOverTheLimitIs413BeforeItIsSent() {
    RawHttp.Exchange answer = RawHttp.send(server.adminPort(), "PUT /admin/services/users/instances/u1 HTTP/1.1\r\n"
        + "host: localhost\r\nauthorization: Bearer " + TOKEN + "\r\ncontent-type: application/json\r\n"
        + "content-length: " + (AdminReplies.MAX_BODY + 1) + "\r\n\r\n", 10_000);
    assertThat(answer.status()).isEqualTo(413);
    assertThat(new JsonObject(answer.body()).getString("error")).isEqualTo("body_too_large");
    assertThat(answer.closed()).isTrue();
  }

  @Test
  void aChunkedBodyOverTheLimitIs413() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.adminPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("PUT /admin/services/users/instances/u1 HTTP/1.1\r\nhost: localhost\r\n"
          + "authorization: Bearer " + TOKEN + "\r\ncontent-type: application/json\r\n"
          + "transfer-encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      byte[] chunk = new byte[64 * 1024];
      Arrays.fill(chunk, (byte) ' ');
      byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
      long sent = 0;
      try {
        // no more than twice the limit, and only until the answer is there
        while (sent < 2 * AdminReplies.MAX_BODY && socket.getInputStream().available() == 0) {
          out.write(size);
          out.write(chunk);
          out.write('\r');
          out.write('\n');
          out.flush();
          sent += chunk.length;
        }
      } catch (IOException closedMeanwhile) {
        // the gateway answered and closed while this was still sending
      }
      RawHttp.Exchange answer = RawHttp.read(socket);
      assertThat(answer.status()).isEqualTo(413);
      assertThat(new JsonObject(answer.body()).getString("error")).isEqualTo("body_too_large");
      assertThat(sent).isGreaterThan(AdminReplies.MAX_BODY - chunk.length); // not refused before the limit
    }
  }
}
