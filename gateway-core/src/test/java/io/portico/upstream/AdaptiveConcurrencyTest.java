package io.portico.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.ClosedLoad;
import io.portico.testing.ClosedLoad.Answer;
import io.portico.testing.Configs;
import io.portico.testing.SeparateLoops;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A backend with fixed capacity ({@value #WORKERS} workers of {@value #SERVICE_MS} ms each,
 * requests beyond them queue behind): offered four times its capacity, the route with
 * {@code adaptive-concurrency} keeps the backend's queue short (the admitted requests' p99 in the
 * backend stays below the median without the limit) and refuses the excess at once with
 * {@code 503 concurrency_limited}, before it reaches the backend; the same route without it sees
 * its latency grow with the backend's queue. Once the load drops, nothing is refused any more.
 * Latency is asserted where it is made, in the backend; the client-side figures are printed.
 */
class AdaptiveConcurrencyTest extends SeparateLoops {
  static final int WORKERS = 4;
  static final int SERVICE_MS = 40;
  static final long LOAD_MS = 4000;

  /** How long each request spent in the backend, waiting and served, in ns: client-side noise left out. */
  final List<Long> sojourns = java.util.Collections.synchronizedList(new java.util.ArrayList<>());


  @Test
  void theLimitKeepsTheBackendsQueueShortAndRefusesTheExcessAtOnce() {
    String algorithm = "gradient2";
    int port = fixedCapacityBackend();
    Gateway gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - name: limited
            endpoints: [127.0.0.1:%d]
            adaptive-concurrency: { algorithm: %s, initial-limit: 4, min-limit: 2, max-limit: 100 }
          - { name: unlimited, endpoints: [127.0.0.1:%d] }
        routes:
          - { name: limited, match: { path-prefix: /limited }, upstream: limited }
          - { name: unlimited, match: { path-prefix: /unlimited }, upstream: unlimited }
        """.formatted(port, algorithm, port))));
    try {
      ClosedLoad load = new ClosedLoad(clients, gateway.port());
      load.run(HttpMethod.GET, "/unlimited/x", WORKERS, 1500); // warm-up: code paths compiled, connections open
      List<Answer> unloaded = load.run(HttpMethod.GET, "/limited/x", 1, 1500);
      double unloadedP50 = ClosedLoad.percentileMillis(unloaded, a -> a.status() == 200, 0.5);

      sojourns.clear();
      List<Answer> limited = load.run(HttpMethod.GET, "/limited/x", WORKERS * 4, LOAD_MS);
      double limitedBackendP99 = p99(sojourns);
      int limitedAtBackend = sojourns.size();
      sojourns.clear();
      List<Answer> unlimited = load.run(HttpMethod.GET, "/unlimited/x", WORKERS * 4, LOAD_MS);
      double unlimitedBackendP50 = percentile(sojourns, 0.5);
      double limitedP99 = ClosedLoad.percentileMillis(limited, a -> a.status() == 200, 0.99);
      double refusedP99 = ClosedLoad.percentileMillis(limited, a -> a.status() == 503, 0.99);
      double unlimitedP50 = ClosedLoad.percentileMillis(unlimited, a -> a.status() == 200, 0.5);
      long admitted = limited.stream().filter(a -> a.status() == 200).count();
      long refused = limited.stream().filter(a -> a.status() == 503).count();
      System.out.printf(algorithm + ": fixed capacity %d x %d ms: unloaded p50 %.1f ms; 4x load with adaptive-concurrency: "
              + "%d admitted p99 %.1f ms (in the backend %.1f ms), %d refused p99 %.1f ms; "
              + "without: %d answered p50 %.1f ms (in the backend %.1f ms), limit now %d%n",
          WORKERS, SERVICE_MS, unloadedP50, admitted, limitedP99, limitedBackendP99, refused, refusedP99,
          unlimited.size(), unlimitedP50, unlimitedBackendP50, limit(gateway).limit());

      assertThat(limited).allMatch(a -> a.status() == 200 || a.status() == 503);
      assertThat(limited.stream().filter(a -> a.status() == 503))
          .allMatch(a -> a.body().contains("\"concurrency_limited\"") && "1".equals(a.retryAfter()));
      assertThat(refused).as("refused at 4x capacity").isGreaterThan(admitted);
      assertThat(limitedAtBackend).as("refused requests never reach the backend").isEqualTo((int) admitted);
      // in the backend, where the busy machine's scheduling noise does not reach: with the limit
      // the admitted requests' tail stays below the median without it, which grows with the queue
      assertThat(unlimitedBackendP50).as("without a limit").isGreaterThan(3 * SERVICE_MS);
      assertThat(limitedBackendP99).as("admitted p99 in the backend").isLessThan(unlimitedBackendP50);
      // seen by the client, on a machine this busy, only relative figures hold: refusals come back
      // sooner than admitted answers, which wait for the backend's work
      assertThat(ClosedLoad.percentileMillis(limited, a -> a.status() == 503, 0.5)).as("refusals are immediate")
          .isLessThan(ClosedLoad.percentileMillis(limited, a -> a.status() == 200, 0.5));
      assertThat(unlimited).allMatch(a -> a.status() == 200);

      // the load drops to the backend's capacity: the limit lets it all through again
      List<Answer> after = load.run(HttpMethod.GET, "/limited/x", WORKERS / 2, 1500);
      assertThat(after).isNotEmpty().allMatch(a -> a.status() == 200);
      assertThat(limit(gateway).limit()).isGreaterThanOrEqualTo(WORKERS / 2);
      assertThat(limit(gateway).rejected()).isEqualTo(refused);
    } finally {
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    }
  }

  private double p99(List<Long> nanos) {
    return percentile(nanos, 0.99);
  }

  private static double percentile(List<Long> nanos, double p) {
    long[] sorted;
    synchronized (nanos) {
      sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    }
    return sorted.length == 0 ? Double.NaN : sorted[(int) Math.max(0, Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  private static ConcurrencyLimit limit(Gateway gateway) {
    return gateway.upstream("limited").concurrency();
  }

  /** {@value #WORKERS} workers; a request that finds them all busy waits in line (FIFO). */
  private int fixedCapacityBackend() {
    HttpServer server = backends.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    ArrayDeque<HttpServerRequest> line = new ArrayDeque<>();
    java.util.Map<HttpServerRequest, Long> arrived = new java.util.HashMap<>();
    int[] busy = {0};
    server.requestHandler(new io.vertx.core.Handler<>() {
      @Override
      public void handle(HttpServerRequest request) {
        arrived.put(request, System.nanoTime());
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
          sojourns.add(System.nanoTime() - arrived.remove(request));
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
