package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.Http;
import io.portico.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mirror}: a copy of each request goes to another upstream, and the client never waits for it. */
class RequestMirrorTest {
  static Vertx vertx;
  static RecordingBackend primary;
  static RecordingBackend shadow;
  static Set<String> shadowConnections = ConcurrentHashMap.newKeySet();
  static Stalled stalled;
  static Stalled stalledOne;
  static Gateway gateway;
  static HttpClient client;

  @BeforeAll
  static void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    primary = RecordingBackend.start(vertx, request -> request.response().end("primary"));
    String big = "s".repeat(200_000); // a large answer: its body must be drained for the connection to be reused
    shadow = RecordingBackend.start(vertx, request -> {
      shadowConnections.add(request.connection().remoteAddress().toString());
      request.response().putHeader("content-type", "text/plain").end(big);
    });
    stalled = new Stalled();
    stalledOne = new Stalled();
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 2 }
        upstreams:
          - { name: primary, endpoints: [%s] }
          - { name: shadow, endpoints: [%s] }
          - { name: stalled, endpoints: [127.0.0.1:%d] }
          - { name: stalled-one, endpoints: [127.0.0.1:%d], max-connections: 1 }
          - { name: absent, endpoints: [127.0.0.1:%d] }
        routes:
          - name: mirrored
            match: { path-prefix: /m }
            strip-prefix: true
            upstream: primary
            mirror: { upstream: shadow }
            plugins: { trace-ingress: { add-header: x-added } }
          - name: half
            match: { path-prefix: /half }
            upstream: primary
            mirror: { upstream: shadow, percent: 50 }
          - name: buffered
            match: { path-prefix: /buffered }
            upstream: primary
            mirror: { upstream: shadow }
            plugins: { trace-traffic: { read-body: 1000 } }
          - name: streamed
            match: { path-prefix: /streamed }
            upstream: primary
            mirror: { upstream: shadow }
          - name: stalled
            match: { path-prefix: /stalled }
            upstream: primary
            timeout: 30s
            mirror: { upstream: stalled }
          - name: stalled-one
            match: { path-prefix: /capped }
            upstream: primary
            mirror: { upstream: stalled-one, timeout: 300ms }
          - name: absent
            match: { path-prefix: /absent }
            upstream: primary
            mirror: { upstream: absent }
        """.formatted(primary.address(), shadow.address(), stalled.port(), stalledOne.port(), Http.closedPort()))));
    // one connection: every request of a test goes through the same gateway event loop
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()),
        new PoolOptions().setHttp1MaxSize(1));
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
  }

  @BeforeEach
  void clear() {
    primary.clear();
    shadow.clear();
    shadowConnections.clear();
  }

  /** A backend that reads requests and never answers; counts their heads and its open connections. */
  static final class Stalled {
    final List<String> uris = new CopyOnWriteArrayList<>();
    final AtomicInteger open = new AtomicInteger();
    final HttpServer server;

    Stalled() {
      server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          .connectionHandler(connection -> {
            open.incrementAndGet();
            connection.closeHandler(v -> open.decrementAndGet());
          })
          .requestHandler(request -> uris.add(request.uri()));
      Await.result(server.listen());
    }

    int port() {
      return server.actualPort();
    }
  }

  static ConditionFactory within(int seconds) {
    return await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(seconds));
  }

  static Http.Answer send(HttpMethod method, String uri, String body) {
    return Http.send(client, new RequestOptions().setMethod(method).setURI(uri).putHeader("x-client", "c1"),
        body == null ? null : Buffer.buffer(body));
  }

  @Test
  void theShadowGetsACopyOfEachGetAsSentUpstreamWhileTheClientGetsThePrimarysAnswer() {
    for (int i = 0; i < 20; i++) {
      Http.Answer answer = send(HttpMethod.GET, "/m/items/" + i + "?q=" + i, null);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("primary");
      int copies = i + 1;
      within(10).until(() -> shadow.received().size() == copies);
    }

    List<RecordingBackend.Received> copies = shadow.received();
    for (int i = 0; i < 20; i++) {
      RecordingBackend.Received copy = copies.get(i);
      RecordingBackend.Received original = primary.received().get(i);
      assertThat(copy.method()).isEqualTo(HttpMethod.GET);
      assertThat(copy.uri()).isEqualTo("/items/" + i + "?q=" + i).isEqualTo(original.uri());
      assertThat(copy.header("x-mirrored")).isEqualTo("true");
      assertThat(original.header("x-mirrored")).isNull();
      assertThat(copy.header("x-added")).isEqualTo("trace-ingress"); // a plugin's header, as the upstream got it
      assertThat(copy.header("x-client")).isEqualTo("c1");
      assertThat(copy.header("x-request-id")).isEqualTo(original.header("x-request-id"));
      assertThat(copy.header("x-forwarded-for")).isEqualTo(original.header("x-forwarded-for"));
      assertThat(copy.header("host")).isEqualTo(original.header("host"));
    }
    // each 200 kB answer was drained, so its connection went back to the pool and was reused
    assertThat(shadowConnections).hasSizeLessThanOrEqualTo(2);
  }

  @Test
  void aPercentageMirrorsThatShareOfTheRequests() {
    for (int i = 0; i < 20; i++) {
      assertThat(send(HttpMethod.GET, "/half/" + i, null).body()).isEqualTo("primary");
    }
    within(10).until(() -> shadow.received().size() == 10);
    // a last copy through a route that mirrors everything: once it is in, the half route's are too
    send(HttpMethod.GET, "/m/last", null);
    within(10).until(() -> shadow.received().stream().anyMatch(r -> r.uri().equals("/last")));

    assertThat(shadow.received()).hasSize(11);
  }

  @Test
  void aBodyAPluginBufferedIsMirroredAndAStreamedOneIsNot() {
    assertThat(send(HttpMethod.POST, "/buffered/a", "buffered body").body()).isEqualTo("primary");
    within(10).until(() -> shadow.received().size() == 1);
    RecordingBackend.Received copy = shadow.received().get(0);
    assertThat(copy.method()).isEqualTo(HttpMethod.POST);
    assertThat(copy.body().toString()).isEqualTo("buffered body");
    assertThat(copy.header("content-length")).isEqualTo("13");

    assertThat(send(HttpMethod.POST, "/streamed/b", "streamed body").body()).isEqualTo("primary");
    assertThat(primary.last().body().toString()).isEqualTo("streamed body");
    send(HttpMethod.GET, "/m/after", null);
    within(10).until(() -> shadow.received().size() == 2);
    assertThat(shadow.received()).extracting(RecordingBackend.Received::uri).containsExactly("/buffered/a", "/after");
  }

  @Test
  void aMirrorThatNeverAnswersDoesNotSlowTheClient() {
    for (int i = 0; i < 10; i++) {
      long start = System.nanoTime();
      Http.Answer answer = send(HttpMethod.GET, "/stalled/" + i, null);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(answer.body()).isEqualTo("primary");
      assertThat(millis).as("answer time of request %d (the mirror's deadline is 30 s)", i).isLessThan(5_000);
    }
    within(10).until(() -> stalled.uris.size() == 10); // the copies did go
  }

  @Test
  void aMirrorWithoutAnyReachableEndpointDoesNotFailTheClient() {
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      Http.Answer answer = send(HttpMethod.GET, "/absent/" + i, null);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("primary");
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
    }
  }

  @Test
  void aStalledCopyIsCutAtItsDeadlineAndCopiesBeyondTheConnectionLimitAreSkipped() {
    send(HttpMethod.GET, "/capped/1", null);
    within(10).until(() -> stalledOne.uris.size() == 1);
    send(HttpMethod.GET, "/capped/2", null); // the one connection is busy: this copy is skipped, not queued

    // the copy's deadline (300 ms) closes its connection; then copies go again
    within(10).until(() -> stalledOne.open.get() == 0);
    send(HttpMethod.GET, "/capped/3", null);
    within(10).until(() -> stalledOne.uris.size() == 2);
    within(10).until(() -> stalledOne.open.get() == 0);

    assertThat(stalledOne.uris).containsExactly("/capped/1", "/capped/3");
  }
}
