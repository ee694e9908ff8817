package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.RecordingBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graceful shutdown: no new connections, requests in flight finish within the drain time. */
class ShutdownTest {
  @TempDir
  Path dir;
  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  Gateway gateway(RecordingBackend backend) {
    return Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 2 }
        upstreams:
          - { name: app, endpoints: [%s] }
        routes:
          - { name: app, upstream: app, timeout: 30s }
        """.formatted(backend.address()))));
  }

  List<Future<String>> inFlight(Gateway gateway, int count) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(gateway.port()), new PoolOptions().setHttp1MaxSize(count));
    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      answers.add(client.request(new RequestOptions().setURI("/slow/" + i))
          .compose(request -> request.send().compose(response -> response.body().map(b -> response.statusCode() + " " + b))));
    }
    return answers;
  }

  static boolean refused(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void requestsInFlightFinishAndNewConnectionsAreRefused() {
    RecordingBackend slow = RecordingBackend.start(vertx,
        request -> vertx.setTimer(1000, t -> request.response().end("done " + request.path())));
    Gateway gateway = gateway(slow);
    List<Future<String>> answers = inFlight(gateway, 6);
    await().atMost(Duration.ofSeconds(5)).until(() -> slow.heads() == 6);

    Future<Void> stopped = gateway.shutdown(Duration.ofSeconds(10));

    await().atMost(Duration.ofSeconds(3)).until(() -> refused(gateway.port()));
    for (int i = 0; i < answers.size(); i++) {
      assertThat(Await.result(answers.get(i))).isEqualTo("200 done /slow/" + i);
    }
    Await.result(stopped);
    assertThat(gateway.inFlight()).isZero();
  }

  @Test
  void drainTimeoutCutsWhatIsStillRunning() {
    RecordingBackend stuck = RecordingBackend.start(vertx, request -> { /* never answers */ });
    Gateway gateway = gateway(stuck);
    List<Future<String>> answers = inFlight(gateway, 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> stuck.heads() == 2);

    long start = System.nanoTime();
    Await.result(gateway.shutdown(Duration.ofMillis(300)));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    for (Future<String> answer : answers) {
      assertThat(Await.failure(answer)).isNotNull();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.inFlight() == 0);
  }
}
