package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.PorticoServer;
import io.portico.testing.Await;
import io.portico.testing.Http;
import io.portico.testing.plugins.UpstreamLogPluginFactory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes that split traffic by weight and send canary users (by header or cookie) elsewhere. */
class TrafficSplitRoutingTest {
  static Vertx vertx;
  static PorticoServer server;
  static HttpClient client;
  static HttpServer v1;
  static HttpServer v2;

  /** A backend that answers its name. */
  static HttpServer backend(String name) {
    HttpServer backend = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> request.response().end(name));
    return Await.result(backend.listen());
  }

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    vertx = Vertx.vertx();
    v1 = backend("v1");
    v2 = backend("v2");
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        listen: { host: 127.0.0.1, port: 0, instances: 2 }
        admin: { host: 127.0.0.1, port: 0 }
        upstreams:
          - { name: shop-v1, endpoints: [127.0.0.1:%d] }
          - { name: shop-v2, endpoints: [127.0.0.1:%d] }
        routes:
          - name: split
            match: { path-prefix: /split }
            split: [ { upstream: shop-v1, weight: 90 }, { upstream: shop-v2, weight: 10 } ]
          - name: canary
            match: { path-prefix: /canary }
            upstream: shop-v1
            canary:
              - { upstream: shop-v2, header: { X-Canary: "on" } }
              - { upstream: shop-v2, cookie: { beta: "1" } }
            plugins: { upstream-log: {} }
          - name: both
            match: { path-prefix: /both }
            split: [ { upstream: shop-v1, weight: 1 }, { upstream: shop-v2, weight: 1 } ]
            canary: [ { upstream: shop-v1, header: { X-Pin: v1 } } ]
            mirror: { upstream: shop-v2, percent: 25 }
        """.formatted(v1.actualPort(), v2.actualPort()));
    server = Await.result(PorticoServer.builder().config(config).vertx(vertx).start());
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.port()),
        new PoolOptions().setHttp1MaxSize(32));
  }

  @AfterAll
  static void stop() {
    Await.result(server.stop());
    Await.result(vertx.close());
  }

  static String get(String uri, String... headers) {
    RequestOptions options = new RequestOptions().setURI(uri);
    for (int i = 0; i < headers.length; i += 2) {
      options.putHeader(headers[i], headers[i + 1]);
    }
    Http.Answer answer = Http.send(client, options);
    assertThat(answer.status()).isEqualTo(200);
    return answer.body();
  }

  /** The upstream the exchange log of request {@code id} names ({@code onComplete} may follow the answer). */
  static String loggedUpstream(String id) {
    await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10))
        .until(() -> UpstreamLogPluginFactory.UPSTREAMS.containsKey(id));
    return UpstreamLogPluginFactory.UPSTREAMS.get(id);
  }

  /** Sends {@code total} GETs to {@code uri}, {@code lanes} at a time, and counts the answers by body. */
  static Map<String, Integer> getMany(String uri, int total, int lanes) {
    Map<String, Integer> counts = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> done = new ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      Promise<Void> laneDone = Promise.promise();
      vertx.runOnContext(v -> sendNext(uri, total, next, counts, laneDone));
      done.add(laneDone.future());
    }
    Await.result(Future.all(done), 120);
    return counts;
  }

  private static void sendNext(String uri, int total, AtomicInteger next, Map<String, Integer> counts, Promise<Void> done) {
    if (next.getAndIncrement() >= total) {
      done.tryComplete();
      return;
    }
    client.request(new RequestOptions().setURI(uri))
        .compose(request -> request.send().compose(response -> response.body()))
        .onSuccess(body -> {
          counts.merge(body.toString(), 1, Integer::sum);
          sendNext(uri, total, next, counts, done);
        })
        .onFailure(done::tryFail);
  }

  @Test
  void aNinetyTenSplitSendsTenPercentToTheCanaryOverTenThousandRequests() {
    Map<String, Integer> counts = getMany("/split/item", 10_000, 16);

    int toV1 = counts.getOrDefault("v1", 0);
    int toV2 = counts.getOrDefault("v2", 0);
    System.out.printf("split 90/10 over 10000 GETs: shop-v1 %.2f%%, shop-v2 %.2f%%%n", toV1 / 100.0, toV2 / 100.0);
    assertThat(toV1 + toV2).isEqualTo(10_000);
    assertThat(toV2 / 100.0).isBetween(8.0, 12.0);
    assertThat(toV1 / 100.0).isBetween(88.0, 92.0);
  }

  @Test
  void theHeaderCanarySendsExactlyTheMatchingRequests() {
    for (int i = 0; i < 30; i++) {
      String id = "hdr-" + i;
      boolean canary = i % 3 == 0;
      String body = canary
          ? get("/canary/a", "x-request-id", id, "X-Canary", "on")
          : get("/canary/a", "x-request-id", id, "X-Canary", i % 3 == 1 ? "off" : "ON");
      assertThat(body).as("request %d", i).isEqualTo(canary ? "v2" : "v1");
    }
    assertThat(get("/canary/a")).isEqualTo("v1");
    // the exchange records the upstream it went to, for logs and metrics
    assertThat(loggedUpstream("hdr-0")).isEqualTo("shop-v2");
    assertThat(loggedUpstream("hdr-1")).isEqualTo("shop-v1");
  }

  @Test
  void theCookieCanarySendsExactlyTheMatchingRequests() {
    String[] cookies = {"beta=1", "a=x; beta=1", "beta=\"1\"", "beta=2", "xbeta=1", "beta=10", "a=beta=1"};
    boolean[] canary = {true, true, true, false, false, false, false};
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < cookies.length; i++) {
        String id = "cookie-" + round + "-" + i;
        assertThat(get("/canary/b", "x-request-id", id, "cookie", cookies[i]))
            .as(cookies[i]).isEqualTo(canary[i] ? "v2" : "v1");
        assertThat(loggedUpstream(id)).isEqualTo(canary[i] ? "shop-v2" : "shop-v1");
      }
    }
  }

  @Test
  void aCanaryRuleComesBeforeTheSplit() {
    Map<String, Integer> split = new java.util.HashMap<>();
    for (int i = 0; i < 40; i++) {
      assertThat(get("/both/x", "x-pin", "v1")).isEqualTo("v1");
      split.merge(get("/both/x"), 1, Integer::sum);
    }
    assertThat(split).containsOnlyKeys("v1", "v2");
  }

  @Test
  void theAdminRouteViewShowsSplitCanaryAndMirror() {
    JsonObject view = new JsonObject(Http.send(client, new RequestOptions().setPort(server.adminPort())
        .setURI("/admin/routes")).body());
    JsonArray routes = view.getJsonArray("routes");

    JsonObject split = routes.getJsonObject(0);
    assertThat(split.getString("upstream")).isEqualTo("shop-v1");
    assertThat(split.getJsonArray("split")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("upstream", "shop-v1").put("weight", 90))
        .add(new JsonObject().put("upstream", "shop-v2").put("weight", 10)));
    JsonObject canary = routes.getJsonObject(1);
    assertThat(canary.getJsonArray("canary")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("upstream", "shop-v2").put("header", new JsonObject().put("X-Canary", "on")))
        .add(new JsonObject().put("upstream", "shop-v2").put("cookie", new JsonObject().put("beta", "1"))));
    assertThat(canary.containsKey("split")).isFalse();
    assertThat(routes.getJsonObject(2).getJsonObject("mirror"))
        .isEqualTo(new JsonObject().put("upstream", "shop-v2").put("percent", 25).put("timeout_ms", 30_000L));
  }
}
