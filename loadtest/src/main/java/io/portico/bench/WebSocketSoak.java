package io.portico.bench;

import io.portico.server.Gateway;
import io.portico.config.load.ConfigLoader;
import io.portico.plugin.PluginRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many WebSocket tunnels through an in-process gateway to an echo server, each sending a numbered
 * text message every {@code interval} for {@code seconds}: prints how many were sent, echoed in
 * order, lost or out of order, and the echo latency percentiles. Everything on 127.0.0.1.
 *
 * <pre>java -cp … io.portico.bench.WebSocketSoak [tunnels] [seconds] [intervalMillis]</pre>
 */
public final class WebSocketSoak {
  public static void main(String[] args) throws Exception {
    int tunnels = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int interval = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    Vertx backendVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    var backend = backendVertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .webSocketHandler(socket -> socket.textMessageHandler(socket::writeTextMessage));
    await(backend.listen());
    Path dir = Files.createTempDirectory("ws-soak");
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        limits: { max-websockets: %d }
        upstreams: [{ name: echo, endpoints: [127.0.0.1:%d], connect-timeout: 10s }]
        routes: [{ name: ws, match: { path-prefix: /ws }, upstream: echo, timeout: 60s }]
        """.formatted(tunnels + 10, backend.actualPort()));
    Vertx gatewayVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Gateway gateway = await(Gateway.start(gatewayVertx,
        new ConfigLoader(PluginRegistry.load(WebSocketSoak.class.getClassLoader())).load(config)));
    Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    WebSocketClient client = clientVertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(60_000)
        .setMaxConnections(tunnels));

    AtomicLong sent = new AtomicLong();
    AtomicLong echoed = new AtomicLong();
    AtomicLong disorder = new AtomicLong();
    long[] latencies = new long[tunnels * (seconds * 1000 / interval + 2)];
    AtomicLong latencyCount = new AtomicLong();
    List<Future<WebSocket>> connecting = new ArrayList<>();
    for (int t = 0; t < tunnels; t++) {
      connecting.add(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port())
          .setURI("/ws/" + t)));
    }
    long connectStart = System.nanoTime();
    List<WebSocket> sockets = new ArrayList<>();
    long failedConnects = 0;
    for (Future<WebSocket> one : connecting) {
      try {
        sockets.add(one.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS));
      } catch (Exception e) {
        failedConnects++;
      }
    }
    System.out.printf("connected=%d failed_connects=%d in %d ms; open in the gateway: %d%n", sockets.size(), failedConnects,
        (System.nanoTime() - connectStart) / 1_000_000,
        (long) gateway.meterRegistry().find("portico.websocket.open").gauge().value());
    List<Future<Void>> done = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (WebSocket socket : sockets) {
      Promise<Void> finished = Promise.promise();
      done.add(finished.future());
      clientVertx.runOnContext(v -> run(clientVertx, socket, interval, deadline, sent, echoed, disorder, latencies,
          latencyCount, finished));
    }
    long failed = failedConnects;
    for (Future<Void> one : done) {
      try {
        one.toCompletionStage().toCompletableFuture().get(seconds + 120L, TimeUnit.SECONDS);
      } catch (Exception e) {
        failed++;
      }
    }
    int n = (int) Math.min(latencyCount.get(), latencies.length);
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    System.out.printf("tunnels=%d seconds=%d interval_ms=%d failed_tunnels=%d sent=%d echoed=%d lost=%d out_of_order=%d "
            + "p50_ms=%.2f p99_ms=%.2f max_ms=%.2f%n",
        tunnels, seconds, interval, failed, sent.get(), echoed.get(), sent.get() - echoed.get(), disorder.get(),
        percentile(sorted, 0.50), percentile(sorted, 0.99), n == 0 ? 0 : sorted[n - 1] / 1e6);
    await(gateway.shutdown(Duration.ofSeconds(1)));
    await(clientVertx.close());
    await(gatewayVertx.close());
    await(backendVertx.close());
  }

  private static void run(Vertx vertx, WebSocket socket, int interval, long deadline, AtomicLong sent, AtomicLong echoed,
      AtomicLong disorder, long[] latencies, AtomicLong latencyCount, Promise<Void> finished) {
    long[] next = {0};
    long[] expected = {0};
    socket.textMessageHandler(text -> {
      int space = text.indexOf(' ');
      long number = Long.parseLong(text.substring(0, space));
      long at = Long.parseLong(text.substring(space + 1));
      if (number != expected[0]) {
        disorder.incrementAndGet();
      }
      expected[0] = number + 1;
      echoed.incrementAndGet();
      long index = latencyCount.getAndIncrement();
      if (index < latencies.length) {
        latencies[(int) index] = System.nanoTime() - at;
      }
      if (expected[0] == next[0] && System.nanoTime() > deadline) {
        socket.close().onComplete(ar -> finished.tryComplete());
      }
    });
    socket.closeHandler(v -> finished.tryComplete());
    vertx.setPeriodic((long) (Math.random() * interval) + 1, interval, id -> {
      if (System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        if (expected[0] == next[0]) {
          socket.close().onComplete(ar -> finished.tryComplete());
        }
        return;
      }
      socket.writeTextMessage(next[0]++ + " " + System.nanoTime());
      sent.incrementAndGet();
    });
  }

  private static double percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
