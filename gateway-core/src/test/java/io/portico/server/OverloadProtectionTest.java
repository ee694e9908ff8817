package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.PorticoServer;
import io.portico.testing.Await;
import io.portico.testing.Http;
import io.portico.testing.RecordingBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway protecting itself: the connection cap closes the connection beyond it at once while
 * the others are served; a loop stalled again and again turns shedding on ({@code 503 overloaded},
 * {@code Connection: close}) and, once the stalls stop, off again; the admin port answers
 * throughout.
 */
class OverloadProtectionTest {
  @TempDir
  Path dir;
  Vertx vertx;
  Vertx clients;
  Vertx backends;
  PorticoServer server;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    clients = Vertx.vertx();
    backends = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      Await.result(server.stop());
    }
    Await.result(clients.close());
    Await.result(backends.close());
    Await.result(vertx.close());
  }

  private void startGateway(String overload) throws Exception {
    RecordingBackend backend = RecordingBackend.start(backends);
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        admin: { host: 127.0.0.1, port: 0 }
        overload: %s
        upstreams:
          - { name: app, endpoints: [%s] }
        routes:
          - { name: stall, match: { path-prefix: /stall }, upstream: app, plugins: { test-loop-stall: { millis: 300 } } }
          - { name: app, match: { path-prefix: / }, upstream: app }
        """.formatted(overload, backend.address()));
    server = Await.result(PorticoServer.builder().config(config).vertx(vertx).start());
  }

  @Test
  void theConnectionBeyondTheCapIsClosedAtOnceWhileTheOthersAreServed() throws Exception {
    startGateway("{ max-connections: 100 }");
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        open.add(new Socket("127.0.0.1", server.port()));
      }
      for (Socket socket : open) { // each of the first hundred is served
        assertThat(get(socket, "/x")).startsWith("HTTP/1.1 200");
      }
      try (Socket extra = new Socket("127.0.0.1", server.port())) {
        extra.setSoTimeout(5000);
        long start = System.nanoTime();
        assertThat(extra.getInputStream().read()).as("the 101st connection is closed").isEqualTo(-1);
        assertThat((System.nanoTime() - start) / 1_000_000).as("at once").isLessThan(2000);
      }
      assertThat(server.gateway().overload().connectionsRefusedCount()).isEqualTo(1);
      open.remove(0).close(); // room again: a new connection is served
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        try (Socket again = new Socket("127.0.0.1", server.port())) {
          again.setSoTimeout(5000);
          assertThat(get(again, "/x")).startsWith("HTTP/1.1 200");
        }
      });
    } finally {
      for (Socket socket : open) {
        socket.close();
      }
    }
  }

  @Test
  void aStalledLoopTurnsSheddingOnAndOffWhileTheAdminPortAnswers() {
    startGatewayUnchecked("{ event-loop-lag: { shed-above: 100ms }, heap: { shed-above: 99% } }");
    HttpClient client = clients.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(server.port()).setKeepAlive(false));
    HttpClient admin = clients.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(server.adminPort()));
    assertThat(Http.send(client, new RequestOptions().setURI("/x")).status()).isEqualTo(200);

    AtomicBoolean stalling = new AtomicBoolean(true);
    Future<Void> stalls = stallRepeatedly(client, stalling);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Http.Answer answer = Http.send(client, new RequestOptions().setURI("/x"));
      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.body()).contains("\"overloaded\"");
      assertThat(answer.header("connection")).isEqualToIgnoringCase("close");
    });
    assertThat(server.gateway().overload().shedding()).isTrue();
    long start = System.nanoTime();
    Http.Answer alive = Http.send(admin, new RequestOptions().setURI("/healthz"));
    assertThat(alive.status()).as("the admin port while shedding").isEqualTo(200);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2000);
    String metrics = Http.send(admin, new RequestOptions().setURI("/metrics")).body();
    assertThat(metrics).contains("portico_overload_state{signal=\"event_loop_lag\"} 1.0")
        .contains("portico_overload_state{signal=\"heap\"} 0.0");
    // what the status page shows
    JsonObject overload = new JsonObject(Http.send(admin, new RequestOptions().setURI("/admin/stats")).body())
        .getJsonObject("overload");
    assertThat(overload.getBoolean("shedding")).isTrue();
    assertThat(overload.getJsonObject("signals").getBoolean("event_loop_lag")).isTrue();
    assertThat(overload.getJsonObject("signals").getBoolean("heap")).isFalse();

    stalling.set(false);
    Await.result(stalls, 30);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(Http.send(client, new RequestOptions().setURI("/x")).status()).isEqualTo(200));
    assertThat(server.gateway().overload().shedCount()).isPositive();
    assertThat(Http.send(admin, new RequestOptions().setURI("/metrics")).body())
        .contains("portico_overload_state{signal=\"event_loop_lag\"} 0.0")
        .containsPattern("portico_overload_shed_total [1-9]");
  }

  /** Requests to the stalling route one after the other (each blocks the loop 300 ms) until told to stop. */
  private Future<Void> stallRepeatedly(HttpClient client, AtomicBoolean stalling) {
    if (!stalling.get()) {
      return Future.succeededFuture();
    }
    return client.request(new RequestOptions().setURI("/stall"))
        .compose(request -> request.send().compose(response -> response.body()))
        .transform(ar -> stallRepeatedly(client, stalling)); // a shed answer counts too: the next stall follows
  }

  private void startGatewayUnchecked(String overload) {
    try {
      startGateway(overload);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String get(Socket socket, String path) throws Exception {
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      line.append((char) c);
    }
    return line.toString();
  }
}
