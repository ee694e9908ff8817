package io.portico.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.Http;
import io.portico.testing.RecordingBackend;
import io.portico.testing.SeparateLoops;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bounded queue of an adaptive concurrency limit held at one: a request beyond the limit waits
 * for room up to the queue's timeout, one beyond the queue is refused at once, and one that waited
 * too long is refused when its timeout passes.
 */
class ConcurrencyQueueTest extends SeparateLoops {
  @Test
  void beyondTheLimitRequestsWaitInTheQueueUpToItsSizeAndTimeout() {
    RecordingBackend backend = RecordingBackend.start(backends, r -> backends.setTimer(300, t -> r.response().end("ok")));
    Gateway gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - name: waits
            endpoints: [%1$s]
            adaptive-concurrency: { algorithm: aimd, initial-limit: 1, min-limit: 1, max-limit: 1, queue: { size: 1, timeout: 5s } }
          - name: hurries
            endpoints: [%1$s]
            adaptive-concurrency: { algorithm: aimd, initial-limit: 1, min-limit: 1, max-limit: 1, queue: { size: 1, timeout: 50ms } }
        routes:
          - { name: waits, match: { path-prefix: /waits }, upstream: waits }
          - { name: hurries, match: { path-prefix: /hurries }, upstream: hurries }
        """.formatted(backend.address()))));
    try {
      HttpClient client = clients.createHttpClient(
          new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()),
          new PoolOptions().setHttp1MaxSize(8));
      // three at once against a limit of one and a queue of one: one served, one waits, one refused
      List<Http.Answer> three = together(client, "/waits/x", 3);
      assertThat(three).extracting(Http.Answer::status).containsExactlyInAnyOrder(200, 200, 503);
      assertThat(three).filteredOn(a -> a.status() == 503).singleElement()
          .satisfies(a -> assertThat(a.body()).contains("\"concurrency_limited\""));
      assertThat(gateway.upstream("waits").concurrency().rejected()).isEqualTo(1);

      // a queue timeout shorter than the backend's answer: the waiting one is refused when it passes
      List<Http.Answer> two = together(client, "/hurries/x", 2);
      assertThat(two).extracting(Http.Answer::status).containsExactlyInAnyOrder(200, 503);
      assertThat(gateway.upstream("hurries").concurrency().inFlight()).isZero();
    } finally {
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    }
  }

  private static List<Http.Answer> together(HttpClient client, String uri, int count) {
    List<Future<Http.Answer>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sent.add(client.request(new RequestOptions().setURI(uri)).compose(r -> r.send()
          .compose(response -> response.body().map(b -> new Http.Answer(response.statusCode(), response.headers(),
              b.toString())))));
    }
    List<Http.Answer> answers = new ArrayList<>();
    for (Future<Http.Answer> one : sent) {
      answers.add(Await.result(one, 30));
    }
    return answers;
  }
}
