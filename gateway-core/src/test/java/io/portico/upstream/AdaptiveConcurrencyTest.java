package io.portico.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.ClosedLoad;
import io.portico.testing.ClosedLoad.Answer;
import io.portico.testing.Configs;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend with fixed capacity ({@value #WORKERS} workers of {@value #SERVICE_MS} ms each,
 * requests beyond them queue behind): offered four times its capacity, the route with
 * {@code adaptive-concurrency} keeps the admitted requests' tail near the unloaded latency and
 * refuses the excess at once with {@code 503 concurrency_limited}; the same route without it sees
 * its latency grow with the backend's queue. Once the load drops, nothing is refused any more.
 */
class AdaptiveConcurrencyTest {
  static final int WORKERS = 4;
  static final int SERVICE_MS = 40;
  static final long LOAD_MS = 4000;

  @TempDir
  Path dir;
  Vertx backends;
  Vertx vertx;
  Vertx clients;

  @BeforeEach
  void start() {
    backends = Vertx.vertx();
    vertx = Vertx.vertx();
    clients = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    Await.result(clients.close());
    Await.result(vertx.close());
    Await.result(backends.close());
  }

  @Test
  void theLimitKeepsTheTailNearTheUnloadedLatencyAndRefusesTheExcessAtOnce() {
    int port = fixedCapacityBackend();
    Gateway gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - name: limited
            endpoints: [127.0.0.1:%d]
            adaptive-concurrency: { algorithm: gradient2, initial-limit: 4, min-limit: 2, max-limit: 100 }
          - { name: unlimited, endpoints: [127.0.0.1:%d] }
        routes:
          - { name: limited, match: { path-prefix: /limited }, upstream: limited }
          - { name: unlimited, match: { path-prefix: /unlimited }, upstream: unlimited }
        """.formatted(port, port))));
    try {
      ClosedLoad load = new ClosedLoad(clients, gateway.port());
      List<Answer> unloaded = load.run(HttpMethod.GET, "/limited/x", 1, 1500);
      double unloadedP50 = ClosedLoad.percentileMillis(unloaded, a -> a.status() == 200, 0.5);

      List<Answer> limited = load.run(HttpMethod.GET, "/limited/x", WORKERS * 4, LOAD_MS);
      List<Answer> unlimited = load.run(HttpMethod.GET, "/unlimited/x", WORKERS * 4, LOAD_MS);
      double limitedP99 = ClosedLoad.percentileMillis(limited, a -> a.status() == 200, 0.99);
      double refusedP99 = ClosedLoad.percentileMillis(limited, a -> a.status() == 503, 0.99);
      double unlimitedP50 = ClosedLoad.percentileMillis(unlimited, a -> a.status() == 200, 0.5);
      long admitted = limited.stream().filter(a -> a.status() == 200).count();
      long refused = limited.stream().filter(a -> a.status() == 503).count();
      System.out.printf("fixed capacity %d x %d ms: unloaded p50 %.1f ms; 4x load with adaptive-concurrency: "
              + "%d admitted p99 %.1f ms, %d refused p99 %.1f ms; without: %d answered p50 %.1f ms, limit now %d%n",
          WORKERS, SERVICE_MS, unloadedP50, admitted, limitedP99, refused, refusedP99, unlimited.size(), unlimitedP50,
          limit(gateway).limit());

      assertThat(limited).allMatch(a -> a.status() == 200 || a.status() == 503);
      assertThat(limited.stream().filter(a -> a.status() == 503))
          .allMatch(a -> a.body().contains("\"concurrency_limited\"") && "1".equals(a.retryAfter()));
      assertThat(refused).as("refused at 4x capacity").isGreaterThan(admitted);
      assertThat(limitedP99).as("admitted p99 vs unloaded p50 %.1f ms", unloadedP50).isLessThan(2 * unloadedP50 + 20);
      assertThat(refusedP99).as("refusals are immediate").isLessThan(unloadedP50);
      assertThat(unlimited).allMatch(a -> a.status() == 200);
      assertThat(unlimitedP50).as("without a limit, latency grows with the queue").isGreaterThan(3 * unloadedP50);

      // the load drops to the backend's capacity: the limit lets it all through again
      List<Answer> after = load.run(HttpMethod.GET, "/limited/x", WORKERS / 2, 1500);
      assertThat(after).isNotEmpty().allMatch(a -> a.status() == 200);
      assertThat(limit(gateway).limit()).isGreaterThanOrEqualTo(WORKERS / 2);
      assertThat(limit(gateway).rejected()).isEqualTo(refused);
    } finally {
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    }
  }

  private static ConcurrencyLimit limit(Gateway gateway) {
    return gateway.upstream("limited").concurrency();
  }

  /** {@value #WORKERS} workers; a request that finds them all busy waits in line (FIFO). */
  private int fixedCapacityBackend() {
    HttpServer server = backends.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    ArrayDeque<HttpServerRequest> line = new ArrayDeque<>();
    int[] busy = {0};
    server.requestHandler(new io.vertx.core.Handler<>() {
      @Override
      public void handle(HttpServerRequest request) {
        if (busy[0] < WORKERS) {
          busy[0]++;
          work(request);
        } else {
          line.addLast(request);
        }
      }

      private void work(HttpServerRequest request) {
        backends.setTimer(SERVICE_MS, t -> {
          request.response().end("ok");
          HttpServerRequest next = line.pollFirst();
          if (next != null) {
            work(next);
          } else {
            busy[0]--;
          }
        });
      }
    });
    return Await.result(server.listen()).actualPort();
  }
}
