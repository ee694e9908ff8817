package io.portico.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.netty.util.concurrent.EventExecutor;
import io.portico.config.load.ConfigLoader;
import io.portico.plugin.PluginRegistry;
import io.portico.server.Gateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bytes allocated per proxied request by the gateway's event loops, for the plain proxy (one
 * route, no plugins, metrics off) and the full chain (jwt-auth with a cached RS256 token,
 * rate-limit with a limit it never reaches, circuit-breaker, metrics). Backend, gateway and
 * clients each run on a Vert.x of their own, so only the gateway's work is counted: after a
 * warm-up, {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} of the gateway's
 * event-loop threads is read around {@code requests} GETs over {@code connections} keep-alive
 * connections. A count, not a time: the figure holds on a busy machine. Everything on 127.0.0.1.
 *
 * <p>Instead of {@code plain} or {@code full-chain} the last argument may name plugins of the full
 * chain, comma-separated ({@code jwt-auth}, {@code rate-limit}, {@code circuit-breaker},
 * {@code metrics}): that route runs only those, so each plugin's share can be measured on its own.
 *
 * <pre>loadtest/allocation.sh [requests=20000] [warm-up=20000] [connections=4] [plain|full-chain|PLUGIN,...]</pre>
 */
public final class AllocationBench {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    try {
      bench(args);
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1); // the Vert.x threads would keep the JVM alive
    }
    System.exit(0);
  }

  private static void bench(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int connections = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    String only = args.length > 3 ? args[3] : "";
    THREADS.setThreadAllocatedMemoryEnabled(true);

    Vertx backends = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    int backend = await(backends.createHttpServer().requestHandler(r -> r.response().end("ok"))
        .listen(0, "127.0.0.1")).actualPort();
    Vertx clients = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));

    RSAKey key = new RSAKeyGenerator(2048).keyID("bench").generate();
    String token = token(key);
    String plain = """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        plugins: { metrics: false }
        upstreams:
          - { name: backend, endpoints: [127.0.0.1:%d] }
        routes:
          - { name: all, match: { path-prefix: / }, upstream: backend }
        """.formatted(backend);
    String chain = subset("jwt-auth,rate-limit,circuit-breaker,metrics", backend, key, token)[1];

    List<String[]> targets = new ArrayList<>(List.of(new String[] {"plain", plain, null}, new String[] {"full-chain", chain, token}));
    if (!only.isEmpty() && !only.equals("plain") && !only.equals("full-chain")) {
      targets.add(subset(only, backend, key, token));
    }

    System.out.println("path,requests,connections,bytes_per_request");
    for (String[] target : targets) {
      if (!only.isEmpty() && !only.equals(target[0])) {
        continue;
      }
      long perRequest = measure(clients, target[1], target[2], requests, warmUp, connections);
      System.out.printf("%s,%d,%d,%d%n", target[0], requests, connections, perRequest);
    }
    await(clients.close());
    await(backends.close());
  }

  /** A route with only the named plugins of the full chain: {@code {name, yaml, token or null}}. */
  private static String[] subset(String names, int backend, RSAKey key, String token) {
    List<String> chosen = List.of(names.split(","));
    StringBuilder plugins = new StringBuilder();
    for (String name : chosen) {
      switch (name) {
        case "jwt-auth" -> plugins.append("      jwt-auth: { issuer: https://id.example.com, audiences: [users], keys: ['")
            .append(key.toPublicJWK().toJSONString()).append("'] }\n");
        case "rate-limit" -> plugins.append("      rate-limit: { limits: [{ capacity: 100000000, per: 1s }] }\n");
        case "circuit-breaker" -> plugins.append("      circuit-breaker: { failures: 5, window: 10s, reset: 5s }\n");
        case "metrics" -> { } // on by default
        default -> throw new IllegalArgumentException("unknown plugin " + name
            + " (use plain, full-chain or some of jwt-auth,rate-limit,circuit-breaker,metrics)");
      }
    }
    if (!chosen.contains("metrics")) {
      plugins.append("      metrics: false\n");
    }
    String yaml = """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - { name: backend, endpoints: [127.0.0.1:%d] }
        routes:
          - name: all
            match: { path-prefix: / }
            upstream: backend
            plugins:
        %s""".formatted(backend, plugins);
    return new String[] {names, yaml, chosen.contains("jwt-auth") ? token : null};
  }

  private static long measure(Vertx clients, String yaml, String token, int requests, int warmUp, int connections)
      throws Exception {
    Path config = Files.createTempFile("allocation-bench", ".yaml");
    Files.writeString(config, yaml);
    Vertx gatewayVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      Gateway gateway = await(Gateway.start(gatewayVertx,
          new ConfigLoader(PluginRegistry.load(AllocationBench.class.getClassLoader())).load(config)));
      await(gateway.ready());
      long[] loops = eventLoopThreads(gatewayVertx);
      HttpClient client = clients.createHttpClient(
          new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()),
          new PoolOptions().setHttp1MaxSize(connections));
      run(client, token, warmUp, connections);
      long before = allocated(loops);
      run(client, token, requests, connections);
      long perRequest = (allocated(loops) - before) / requests;
      await(client.close());
      await(gateway.shutdown(Duration.ofSeconds(1)));
      return perRequest;
    } finally {
      await(gatewayVertx.close());
      Files.deleteIfExists(config);
    }
  }

  private static long[] eventLoopThreads(Vertx vertx) throws Exception {
    List<Long> ids = new ArrayList<>();
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      ids.add(loop.submit(() -> Thread.currentThread().getId()).get(10, TimeUnit.SECONDS));
    }
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  private static long allocated(long[] threads) {
    long sum = 0;
    for (long bytes : THREADS.getThreadAllocatedBytes(threads)) {
      sum += Math.max(bytes, 0);
    }
    return sum;
  }

  private static void run(HttpClient client, String token, int count, int connections) throws Exception {
    AtomicInteger remaining = new AtomicInteger(count);
    RequestOptions options = new RequestOptions().setURI("/items/1");
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      loops.add(loop(client, options, remaining));
    }
    await(Future.all(loops));
  }

  /**
   * One connection's requests, one after the other until {@code remaining} runs out. Each request
   * starts from the completion of the one before and the loop's own future completes once at the
   * end, so no chain of futures grows with the count (a nested compose per request overflowed the
   * stack when 10,000 of them completed at once).
   */
  private static Future<Void> loop(HttpClient client, RequestOptions options, AtomicInteger remaining) {
    Promise<Void> done = Promise.promise();
    next(client, options, remaining, done);
    return done.future();
  }

  private static void next(HttpClient client, RequestOptions options, AtomicInteger remaining, Promise<Void> done) {
    if (remaining.getAndDecrement() <= 0) {
      done.complete();
      return;
    }
    client.request(options)
        .compose(r -> r.send().compose(response -> response.body().map(body -> {
          if (response.statusCode() != 200) {
            throw new IllegalStateException("answer " + response.statusCode() + ": " + body);
          }
          return body;
        })))
        .onComplete(outcome -> {
          if (outcome.failed()) {
            done.fail(outcome.cause());
          } else {
            next(client, options, remaining, done);
          }
        });
  }

  private static String token(RSAKey key) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
        new JWTClaimsSet.Builder().issuer("https://id.example.com").subject("bench").audience("users")
            .expirationTime(new Date(System.currentTimeMillis() + 86_400_000L)).build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
  }
}
