package io.portico.bench;

import io.portico.config.load.ConfigLoader;
import io.portico.plugin.PluginRegistry;
import io.portico.server.Gateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Goodput and p99 of admitted requests through an in-process gateway to a backend of fixed
 * capacity ({@code workers} requests served at once, {@code service-ms} each, the rest queued),
 * at 1x, 2x and 4x its capacity in closed-loop clients: with {@code adaptive-concurrency}, with a
 * fixed {@code max-connections} equal to the capacity, and with neither. Then the p99 of a route
 * over two endpoints, one answering every twentieth request after a second, with and without
 * {@code hedge: { after: 50ms }}. Prints one CSV line per point. Everything on 127.0.0.1; bounded
 * by {@code seconds} per point.
 *
 * <pre>java -cp … io.portico.bench.ResilienceBench [seconds=5] [workers=8] [service-ms=20]</pre>
 */
public final class ResilienceBench {
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int serviceMs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    Vertx backends = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    int capacityPort = fixedCapacity(backends, workers, serviceMs);
    int steadyPort = delayed(backends, new AtomicInteger(), 0);
    int stallingPort = delayed(backends, new AtomicInteger(), 20);
    Path dir = Files.createTempDirectory("resilience-bench");
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - name: adaptive
            endpoints: [127.0.0.1:%1$d]
            adaptive-concurrency: { initial-limit: %2$d, min-limit: 2, max-limit: 1000 }
          - { name: fixed, endpoints: [127.0.0.1:%1$d], max-connections: %2$d }
          - { name: none, endpoints: [127.0.0.1:%1$d], max-connections: 10000 }
          - { name: pair, endpoints: [127.0.0.1:%3$d, 127.0.0.1:%4$d] }
        routes:
          - { name: adaptive, match: { path-prefix: /adaptive }, upstream: adaptive, timeout: 30s }
          - { name: fixed, match: { path-prefix: /fixed }, upstream: fixed, timeout: 30s }
          - { name: none, match: { path-prefix: /none }, upstream: none, timeout: 30s }
          - { name: hedged, match: { path-prefix: /hedged }, upstream: pair, hedge: { after: 50ms } }
          - { name: plain, match: { path-prefix: /plain }, upstream: pair }
        """.formatted(capacityPort, workers, steadyPort, stallingPort));
    Vertx gatewayVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Gateway gateway = await(Gateway.start(gatewayVertx,
        new ConfigLoader(PluginRegistry.load(ResilienceBench.class.getClassLoader())).load(config)));
    Vertx clients = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    System.out.println("case,load,clients,answered_per_s,admitted_per_s,refused,p50_ms,p99_ms");
    run(clients, gateway.port(), "/none", workers, 1); // warm-up
    for (String mode : List.of("adaptive", "fixed", "none")) {
      for (int load : new int[] {1, 2, 4}) {
        point(clients, gateway.port(), mode, load, workers * load, seconds);
      }
    }
    point(clients, gateway.port(), "plain", 1, 4, seconds);
    point(clients, gateway.port(), "hedged", 1, 4, seconds);
    await(gateway.shutdown(Duration.ofSeconds(1)));
    await(clients.close());
    await(gatewayVertx.close());
    await(backends.close());
  }

  private static void point(Vertx clients, int port, String mode, int load, int concurrency, int seconds) {
    List<long[]> answers = run(clients, port, "/" + mode + "/x", concurrency, seconds);
    long[] admitted = answers.stream().filter(a -> a[0] == 200).mapToLong(a -> a[1]).sorted().toArray();
    long refused = answers.size() - admitted.length;
    System.out.printf("%s,%dx,%d,%.1f,%.1f,%d,%.1f,%.1f%n", mode, load, concurrency, answers.size() / (double) seconds,
        admitted.length / (double) seconds, refused, pct(admitted, 0.5), pct(admitted, 0.99));
  }

  /** Closed loop: {@code concurrency} clients for {@code seconds}; each answer as {status, nanos}. */
  private static List<long[]> run(Vertx vertx, int port, String uri, int concurrency, int seconds) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(concurrency));
    List<long[]> answers = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      loops.add(loop(client, uri, end, answers));
    }
    await(Future.join(loops));
    await(client.close());
    synchronized (answers) {
      return new ArrayList<>(answers);
    }
  }

  private static Future<Void> loop(HttpClient client, String uri, long end, List<long[]> answers) {
    if (System.nanoTime() >= end) {
      return Future.succeededFuture();
    }
    long start = System.nanoTime();
    return client.request(new RequestOptions().setURI(uri))
        .compose(r -> r.send().compose(response -> response.body().map(b -> response.statusCode())))
        .compose(status -> {
          synchronized (answers) {
            answers.add(new long[] {status, System.nanoTime() - start});
          }
          return loop(client, uri, end, answers);
        });
  }

  /** A backend serving {@code workers} requests at once, {@code serviceMs} each; the rest wait in line. */
  private static int fixedCapacity(Vertx vertx, int workers, int serviceMs) {
    ArrayDeque<HttpServerRequest> line = new ArrayDeque<>();
    int[] busy = {0};
    var server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    server.requestHandler(new io.vertx.core.Handler<>() {
      @Override
      public void handle(HttpServerRequest request) {
        if (busy[0] < workers) {
          busy[0]++;
          work(request);
        } else {
          line.addLast(request);
        }
      }

      private void work(HttpServerRequest request) {
        vertx.setTimer(serviceMs, t -> {
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
    return await(server.listen()).actualPort();
  }

  /** Answers after 2 ms, or after a second for every {@code stallEvery}th request (0: never). */
  private static int delayed(Vertx vertx, AtomicInteger count, int stallEvery) {
    var server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    server.requestHandler(r -> vertx.setTimer(
        stallEvery > 0 && count.incrementAndGet() % stallEvery == 0 ? 1000 : 2, t -> r.response().end("ok")));
    return await(server.listen()).actualPort();
  }

  private static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? Double.NaN : sorted[(int) Math.max(0, Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(600, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
