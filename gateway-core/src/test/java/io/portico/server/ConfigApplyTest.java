package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.runtime.GatewayView;
import io.portico.config.ValidatedConfig;
import io.portico.spi.Plugin;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.Http;
import io.portico.testing.RecordingBackend;
import io.portico.testing.plugins.TraceLog;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Swapping the config while requests flow: nothing is lost, plugins are kept or replaced. */
class ConfigApplyTest {
  @TempDir
  Path dir;
  Vertx vertx;
  RecordingBackend blue;
  RecordingBackend green;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    blue = RecordingBackend.start(vertx, request -> request.response().end("blue"));
    green = RecordingBackend.start(vertx, request -> request.response().end("green"));
    TraceLog.clear();
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  ValidatedConfig config(RecordingBackend backend, String tag) {
    return Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 2 }
        upstreams:
          - { name: app, endpoints: [%s] }
        routes:
          - name: app
            upstream: app
            plugins: { trace-ingress: { tag: %s } }
          - name: other
            match: { path-prefix: /other }
            upstream: app
            plugins: { trace-authn: { tag: fixed } }
        """.formatted(backend.address(), tag));
  }

  @Test
  void swapsUnderSteadyLoadLoseNothing() {
    Gateway gateway = Await.result(Gateway.start(vertx, config(blue, "one")));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(gateway.port()), new PoolOptions().setHttp1MaxSize(4));
    int total = 2000;
    AtomicInteger sent = new AtomicInteger();
    Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    List<String> failures = new ArrayList<>();
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) { // four clients, each sending its next request when the last answered
      Promise<Void> done = Promise.promise();
      workers.add(done.future());
      vertx.runOnContext(v -> next(client, sent, total, answers, failures, done));
    }
    List<ValidatedConfig> configs = List.of(config(green, "two"), config(blue, "three"), config(green, "four"));
    List<Integer> sentAtSwap = new ArrayList<>();
    for (ValidatedConfig next : configs) {
      sleep(600);
      Await.result(gateway.apply(next));
      sentAtSwap.add(sent.get());
    }
    Await.result(Future.all(workers), 60);

    assertThat(sentAtSwap).as("every swap happened while requests were flowing").allMatch(n -> n > 0 && n < total);
    assertThat(failures).isEmpty();
    assertThat(answers.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(total);
    assertThat(answers).containsKeys("200 blue", "200 green");
    assertThat(Http.send(client, new RequestOptions().setURI("/x")).body()).isEqualTo("green");
    Await.result(gateway.shutdown(Duration.ofSeconds(2)));
  }

  void next(HttpClient client, AtomicInteger sent, int total, Map<String, AtomicInteger> answers,
      List<String> failures, Promise<Void> done) {
    if (sent.getAndIncrement() >= total) {
      done.complete();
      return;
    }
    client.request(new RequestOptions().setURI("/item"))
        .compose(request -> request.send().compose(response -> response.body().map(b -> response.statusCode() + " " + b)))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            answers.computeIfAbsent(ar.result(), k -> new AtomicInteger()).incrementAndGet();
          } else {
            synchronized (failures) {
              failures.add(ar.cause().toString());
            }
          }
          // about 6 ms between requests per client: 2,000 requests take about 3 s, across the swaps
          vertx.setTimer(6, t -> next(client, sent, total, answers, failures, done));
        });
  }

  @Test
  void unchangedPluginsAreKeptAndReplacedOnesClosed() {
    Gateway gateway = Await.result(Gateway.start(vertx, config(blue, "one")));
    Plugin appBefore = plugin(gateway.snapshot(), "app");
    Plugin otherBefore = plugin(gateway.snapshot(), "other");

    Await.result(gateway.apply(config(green, "two")));

    assertThat(plugin(gateway.snapshot(), "other")).isSameAs(otherBefore);
    assertThat(plugin(gateway.snapshot(), "app")).isNotSameAs(appBefore);
    assertThat(TraceLog.events()).containsSubsequence(
        "lifecycle trace-ingress.create app one", "lifecycle trace-ingress.create app two",
        "lifecycle trace-ingress.close app one");
    assertThat(TraceLog.events()).doesNotContain("lifecycle trace-authn.close other fixed");
    Await.result(gateway.shutdown(Duration.ofSeconds(2)));
    assertThat(TraceLog.events()).contains("lifecycle trace-authn.close other fixed", "lifecycle trace-ingress.close app two");
  }

  @Test
  void aConfigWhosePluginFailsToCreateIsRejectedAndTheOldOneKeepsServing() {
    Gateway gateway = Await.result(Gateway.start(vertx, config(blue, "one")));
    ValidatedConfig broken = Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0 }
        upstreams:
          - { name: app, endpoints: [%s] }
        routes:
          - { name: app, upstream: app, plugins: { trace-traffic: { fail-create: true } } }
        """.formatted(green.address()));

    Throwable failure = Await.failure(gateway.apply(broken));

    assertThat(failure).hasMessageContaining("refuses to be created");
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
    assertThat(Http.send(client, new RequestOptions().setURI("/x")).body()).isEqualTo("blue");
    assertThat(gateway.snapshot().version()).isNotEqualTo(broken.version());
    Await.result(gateway.shutdown(Duration.ofSeconds(2)));
  }

  static Plugin plugin(GatewayView snapshot, String route) {
    return snapshot.routes().stream().filter(r -> r.name().equals(route)).findFirst().orElseThrow()
        .plugins().get(0).plugin();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis); // paces the swaps against the steady load; the test waits on the load itself
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
