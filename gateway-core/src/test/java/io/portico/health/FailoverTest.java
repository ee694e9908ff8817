package io.portico.health;

import io.portico.endpoint.EndpointState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.Http;
import io.portico.testing.Http.Answer;
import io.portico.testing.RecordingBackend;
import io.portico.upstream.Upstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Endpoints that die, fail or recover under traffic: retries, outlier ejection, active checks. */
class FailoverTest {
  @TempDir
  Path dir;
  Vertx backends;
  Vertx vertx;
  Vertx clients;
  Gateway gateway;
  HttpClient client;

  @BeforeEach
  void start() {
    backends = Vertx.vertx();
    vertx = Vertx.vertx();
    clients = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    }
    Await.result(clients.close());
    Await.result(vertx.close());
    Await.result(backends.close());
  }

  private void startGateway(String yaml) {
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, "listen: { host: 127.0.0.1, port: 0, instances: 2 }\n" + yaml)));
    client = clients.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()),
        new PoolOptions().setHttp1MaxSize(32));
  }

  private Answer get(String uri) {
    return Http.send(client, new RequestOptions().setURI(uri));
  }

  private EndpointState state(String upstream, int port) {
    Upstream running = gateway.upstream(upstream);
    return running.health().states().stream().filter(s -> s.endpoint().port() == port).findFirst().orElseThrow();
  }

  @Test
  void killingOneOfThreeBackendsUnderLoadFailsNoGetAndEjectsItWithinASecond() {
    List<RecordingBackend> three = List.of(RecordingBackend.start(backends), RecordingBackend.start(backends),
        RecordingBackend.start(backends));
    startGateway("""
        upstreams:
          - name: app
            endpoints: [%s, %s, %s]
        routes:
          - { name: app, match: { path-prefix: / }, upstream: app, retries: { attempts: 3, on: [connect-failure, reset, timeout], budget-percent: 50 } }
        """.formatted(three.get(0).address(), three.get(1).address(), three.get(2).address()));
    RecordingBackend victim = three.get(1);
    int victimPort = victim.port();

    // losing one of three endpoints needs about a third of the requests retried until it is
    // ejected, more than the default budget of 20% allows in a burst: the route allows half.
    // 200 requests a second for 6 seconds (1,200 in all); the victim dies after 2 seconds
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicLong killedAt = new AtomicLong();
    AtomicBoolean killed = new AtomicBoolean();
    clients.setPeriodic(5, id -> {
      int n = sent.incrementAndGet();
      if (n > 1200) {
        clients.cancelTimer(id);
        return;
      }
      if (n == 400 && killed.compareAndSet(false, true)) {
        killedAt.set(System.nanoTime());
        backends.runOnContext(v -> victim.close()); // closes the listener and every open connection
      }
      client.request(new RequestOptions().setURI("/load/" + n))
          .compose(request -> request.send().compose(response -> response.body().map(b -> {
            return response.statusCode();
          })))
          .onComplete(ar -> {
            statuses.computeIfAbsent(ar.succeeded() ? ar.result() : -1, s -> new AtomicInteger()).incrementAndGet();
            done.incrementAndGet();
          });
    });
    await().atMost(Duration.ofSeconds(8)).until(() -> killed.get());
    await().atMost(Duration.ofSeconds(10)).until(() -> state("app", victimPort).ejected());
    long ejectedMillis = (System.nanoTime() - killedAt.get()) / 1_000_000;
    await().atMost(Duration.ofSeconds(30)).until(() -> done.get() == 1200);

    System.out.printf("failover: victim ejected %d ms after it died; answers %s%n", ejectedMillis, statuses);
    assertThat(statuses).as("every GET answered 200").containsOnlyKeys(200);
    assertThat(statuses.get(200).get()).isEqualTo(1200);
    // the bound here is generous for a busy machine: the figure is printed and benchmarked apart
    assertThat(ejectedMillis).isLessThan(3000);
    JsonObject view = gateway.upstream("app") == null ? null : new JsonObject().put("serving",
        gateway.upstream("app").current().servingCount());
    assertThat(view.getInteger("serving")).isEqualTo(2);
  }

  @Test
  void activeChecksTakeOutAnEndpointAnswering500sAndBringItBackWhenItRecovers() {
    AtomicBoolean failing = new AtomicBoolean();
    RecordingBackend good = RecordingBackend.start(backends);
    RecordingBackend flaky = RecordingBackend.start(backends, request ->
        request.response().setStatusCode(failing.get() ? 500 : 200).end("flaky"));
    startGateway("""
        upstreams:
          - name: app
            endpoints: [%s, %s]
            health-check: { path: /healthz, interval: 100ms, timeout: 500ms, healthy: 2, unhealthy: 2 }
        routes:
          - { name: app, match: { path-prefix: / }, upstream: app }
        """.formatted(good.address(), flaky.address()));
    await().atMost(Duration.ofSeconds(5)).until(() -> flaky.received().stream().anyMatch(r -> r.uri().equals("/healthz")));

    failing.set(true);
    await().atMost(Duration.ofSeconds(5)).until(() -> !state("app", flaky.port()).checkedHealthy());
    long flakyBefore = flaky.received().stream().filter(r -> !r.uri().equals("/healthz")).count();
    for (int i = 0; i < 20; i++) {
      assertThat(get("/work/" + i).status()).isEqualTo(200);
    }
    assertThat(flaky.received().stream().filter(r -> !r.uri().equals("/healthz")).count()).isEqualTo(flakyBefore);
    assertThat(state("app", flaky.port()).lastCheck()).isEqualTo("500");

    failing.set(false);
    await().atMost(Duration.ofSeconds(5)).until(() -> state("app", flaky.port()).checkedHealthy());
    for (int i = 0; i < 20; i++) {
      get("/again/" + i);
    }
    assertThat(flaky.received().stream().filter(r -> r.uri().startsWith("/again/")).count()).isGreaterThan(0);
    good.close();
    flaky.close();
  }

  @Test
  void whenEveryEndpointIsDownTheAnswerIs503AtOnce() {
    startGateway("""
        upstreams:
          - name: gone
            endpoints: [127.0.0.1:%d, 127.0.0.1:%d]
            health-check: { type: tcp, interval: 100ms, timeout: 500ms, unhealthy: 1 }
        routes:
          - { name: gone, match: { path-prefix: / }, upstream: gone }
        """.formatted(Http.closedPort(), Http.closedPort()));
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.upstream("gone").current().servingCount() == 0);

    long start = System.nanoTime();
    Answer answer = get("/anything");
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(answer.status()).isEqualTo(503);
    JsonObject json = new JsonObject(answer.body());
    assertThat(json.getString("error")).isEqualTo("no_healthy_endpoint");
    assertThat(json.getString("request_id")).isNotBlank();
    assertThat(millis).isLessThan(2000);
  }

  @Test
  void aPostIsRetriedOnlyWhenTheRouteOptsIn() {
    RecordingBackend unavailable = RecordingBackend.start(backends, request -> request.response().setStatusCode(503).end());
    RecordingBackend fine = RecordingBackend.start(backends);
    startGateway("""
        upstreams:
          - { name: app, endpoints: [%s, %s] }
        routes:
          - { name: safe, match: { path-prefix: /safe }, upstream: app, retries: { attempts: 2, on: [503] } }
          - { name: opted, match: { path-prefix: /opted }, upstream: app, retries: { attempts: 2, on: [503], non-idempotent: true } }
        """.formatted(unavailable.address(), fine.address()));

    List<Integer> safe = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      safe.add(post("/safe/" + i));
    }
    assertThat(safe).contains(503).contains(200);
    assertThat(unavailable.received().size() + fine.received().size()).as("one try per POST").isEqualTo(6);

    unavailable.clear();
    fine.clear();
    for (int i = 0; i < 6; i++) {
      assertThat(post("/opted/" + i)).isEqualTo(200);
    }
    assertThat(fine.received()).hasSize(6);
    assertThat(unavailable.received()).isNotEmpty().allMatch(r -> r.body().toString().startsWith("order"));

    for (int i = 0; i < 6; i++) {
      assertThat(get("/safe/get/" + i).status()).as("GETs are retried").isEqualTo(200);
    }
  }

  private int post(String uri) {
    return Http.send(client, new RequestOptions().setMethod(HttpMethod.POST).setURI(uri),
        io.vertx.core.buffer.Buffer.buffer("order " + uri)).status();
  }

  @Test
  void retriesGoToAnotherEndpointAndStopAtTheAttempts() {
    List<RecordingBackend> failing = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      failing.add(RecordingBackend.start(backends, request -> request.response().setStatusCode(503).end()));
    }
    startGateway("""
        upstreams:
          - { name: app, endpoints: [%s, %s, %s], outlier: { consecutive-failures: 1000 } }
        routes:
          - { name: app, match: { path-prefix: / }, upstream: app, retries: { attempts: 3, on: [503] } }
        """.formatted(failing.get(0).address(), failing.get(1).address(), failing.get(2).address()));

    assertThat(get("/x").status()).isEqualTo(503);
    assertThat(failing).allSatisfy(backend -> assertThat(backend.received()).hasSize(1));
  }
}
