package io.portico.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.EventLoopAllocation;
import io.portico.testing.SeparateLoops;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bytes the gateway's event loops allocate per proxied request on the plain path (one route, no
 * plugins): a count, so it guards the hot path against a regression that multiplies garbage (a
 * per-request copy of the headers, a map built per request) however busy the machine is.
 */
class AllocationPerRequestTest extends SeparateLoops {
  /**
   * The plain path's bytes per request as recorded with this very test on 2026-12-07 (OpenJDK
   * 17.0.15, Vert.x 5.0.7, 4 keep-alive connections, GET answered 200 "ok", gateway on a Vert.x of
   * its own, after 5000 warm-up requests, leak detection off): {@code mvn -o -q -pl gateway-core
   * -am test -Dtest=AllocationPerRequestTest -Dsurefire.failIfNoSpecifiedTests=false}, the figure
   * is printed to {@code target/surefire-reports/*AllocationPerRequestTest-output.txt}.
   * {@code loadtest/allocation.sh} measures the same way in a plain JVM and also the full chain.
   */
  static final long RECORDED_BYTES_PER_REQUEST = 4184;
  static final int WARM_UP = 5000;
  static final int REQUESTS = 4000;
  static final int CONCURRENCY = 4;

  private ResourceLeakDetector.Level leakDetection;

  /**
   * The tests run with paranoid leak detection, which records a stack trace per buffer: that, not
   * the gateway, would dominate the count. Users run without it; so does this measurement.
   */
  @BeforeEach
  void countWithoutLeakTracking() {
    leakDetection = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
  }

  @AfterEach
  void restoreLeakTracking() {
    ResourceLeakDetector.setLevel(leakDetection);
  }

  @Test
  void thePlainProxyPathAllocatesAtMostTwiceTheRecordedBytesPerRequest() {
    HttpServer backend = backends.createHttpServer()
        .requestHandler(request -> request.response().end("ok"));
    int backendPort = Await.result(backend.listen(0, "127.0.0.1")).actualPort();
    Gateway gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - { name: backend, endpoints: [127.0.0.1:%d] }
        routes:
          - { name: all, match: { path-prefix: / }, upstream: backend }
        """.formatted(backendPort))));
    try {
      HttpClient client = clients.createHttpClient(
          new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()),
          new PoolOptions().setHttp1MaxSize(CONCURRENCY));
      EventLoopAllocation gatewayLoops = EventLoopAllocation.of(vertx);
      run(client, WARM_UP); // JIT, pools and connections settle; steady state is measured
      long before = gatewayLoops.allocatedBytes();
      run(client, REQUESTS);
      long perRequest = (gatewayLoops.allocatedBytes() - before) / REQUESTS;

      System.out.printf("plain proxy path: %d bytes allocated per request on the gateway's event loops "
          + "(%d requests, recorded figure %d)%n", perRequest, REQUESTS, RECORDED_BYTES_PER_REQUEST);
      assertThat(perRequest).as("bytes per request (recorded: %d)", RECORDED_BYTES_PER_REQUEST)
          .isPositive()
          .isLessThanOrEqualTo(2 * RECORDED_BYTES_PER_REQUEST);
    } finally {
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    }
  }

  /** Sends {@code count} GETs over {@link #CONCURRENCY} connections; every answer must be 200 "ok". */
  private void run(HttpClient client, int count) {
    AtomicInteger remaining = new AtomicInteger(count);
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < CONCURRENCY; w++) {
      workers.add(clients.<Void>executeBlocking(() -> null).compose(v -> loop(client, remaining)));
    }
    Await.result(Future.all(workers), 120);
  }

  private Future<Void> loop(HttpClient client, AtomicInteger remaining) {
    if (remaining.getAndDecrement() <= 0) {
      return Future.succeededFuture();
    }
    return client.request(new RequestOptions().setURI("/items/1"))
        .compose(request -> request.send().compose(response -> response.body().map(body -> {
          if (response.statusCode() != 200 || !body.toString().equals("ok")) {
            throw new AssertionError("unexpected answer " + response.statusCode() + " " + body);
          }
          return body;
        })))
        .compose(body -> loop(client, remaining));
  }
}
