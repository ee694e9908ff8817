package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.portico.PorticoServer;
import io.portico.spi.PluginApi;
import io.portico.testing.Await;
import io.portico.testing.DropInJars;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A drop-in plugin that throws {@link Error}s, not only exceptions: every request still gets its
 * answer within the route timeout, and the other routes keep serving.
 */
class FaultyPluginTest {
  /** The route timeout: every answer must come sooner. */
  static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(5);
  static final List<String> ERRORS = List.of("no-such-method", "stack-overflow", "assertion", "runtime");
  static final List<String> PHASES = List.of("request", "response", "complete");

  static final String FACTORY = """
      package dropin;
      import io.portico.spi.*;
      import io.vertx.core.Future;
      public class FaultyFactory implements PluginFactory<FaultyFactory.Config> {
        public record Config(String error, String phase) {}
        public String name() { return "faulty"; }
        public Stage stage() { return Stage.TRANSFORM; }
        public int priority() { return 0; }
        public Class<Config> configType() { return Config.class; }
        public Plugin create(Config config, PluginContext context) {
          return new Plugin() {
            public Future<Decision> onRequest(Exchange exchange) {
              if (config.error().equals("async-error")) {
                // the Error escapes in a callback of the plugin's own: its future never completes
                io.vertx.core.Promise<Decision> decided = io.vertx.core.Promise.promise();
                context.vertx().setTimer(1, t -> {
                  throw new NoSuchMethodError("'long io.portico.spi.Exchange.declaredContentLength()'");
                });
                return decided.future();
              }
              failIn("request");
              return Decision.next().asFuture();
            }
            public Future<Decision> onResponse(Exchange exchange) {
              failIn("response");
              return Decision.next().asFuture();
            }
            public void onComplete(ExchangeLog log) {
              failIn("complete");
            }
            private void failIn(String phase) {
              if (!phase.equals(config.phase())) {
                return;
              }
              switch (config.error()) {
                case "no-such-method" -> throw new NoSuchMethodError("'long io.portico.spi.Exchange.declaredContentLength()'");
                case "stack-overflow" -> deep(0);
                case "assertion" -> throw new AssertionError("broken invariant");
                default -> throw new IllegalStateException("boom");
              }
            }
          };
        }
        static int deep(int n) {
          return deep(n + 1) + 1;
        }
      }
      """;

  static Vertx vertx;
  static HttpServer backend;
  static PorticoServer server;
  static HttpClient client = HttpClient.newBuilder().connectTimeout(ROUTE_TIMEOUT).build();

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    vertx = Vertx.vertx();
    backend = Await.result(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> request.response().end("ok")).listen());
    DropInJars.build(dir, dir.resolve("drop-ins/faulty.jar"), Map.of("FaultyFactory", FACTORY), "FaultyFactory",
        true, UnaryOperator.identity());
    StringBuilder routes = new StringBuilder();
    routes.append("  - { name: healthy, match: { path-prefix: /healthy }, upstream: backend, timeout: 5s }\n");
    for (String error : ERRORS) {
      for (String phase : PHASES) {
        routes.append("  - { name: %1$s-%2$s, match: { path-prefix: /%1$s/%2$s }, upstream: backend, timeout: 5s,\n"
            .formatted(error, phase));
        routes.append("      plugins: { faulty: { error: %s, phase: %s } } }\n".formatted(error, phase));
      }
    }
    routes.append("  - { name: async-error, match: { path-prefix: /async-error }, upstream: backend, timeout: 1s,\n");
    routes.append("      plugins: { faulty: { error: async-error, phase: request } } }\n");
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        plugins-dir: %s
        listen: { host: 127.0.0.1, port: 0 }
        admin: { host: 127.0.0.1, port: 0 }
        upstreams:
          - name: backend
            endpoints: [127.0.0.1:%d]
        routes:
        """.formatted(dir.resolve("drop-ins"), backend.actualPort()) + routes);
    server = Await.result(PorticoServer.builder().config(config).vertx(vertx).start());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      Await.result(server.stop());
    }
    Await.result(vertx.close());
  }

  static List<Object[]> cases() {
    List<Object[]> cases = new ArrayList<>();
    for (String error : ERRORS) {
      for (String phase : PHASES) {
        cases.add(new Object[] {error, phase});
      }
    }
    return cases;
  }

  @ParameterizedTest(name = "{0} in on{1}")
  @MethodSource("cases")
  void everyRequestIsAnsweredWithinTheRouteTimeout(String error, String phase) throws Exception {
    for (int i = 0; i < 3; i++) { // the failure is logged once a minute, answered every time
      HttpResponse<String> answer = get("/" + error + "/" + phase);
      if (phase.equals("complete")) {
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("ok");
      } else {
        assertThat(answer.statusCode()).isEqualTo(500);
        JsonObject body = new JsonObject(answer.body());
        assertThat(body.getString("error")).isEqualTo("plugin_error");
        assertThat(body.getString("message")).contains("\"faulty\"").contains("faulty.jar");
      }
      HttpResponse<String> healthy = get("/healthy");
      assertThat(healthy.statusCode()).isEqualTo(200);
      assertThat(healthy.body()).isEqualTo("ok");
    }
  }

  @Test
  void aPhaseWhoseFutureNeverCompletesIsAnsweredAtTheRouteTimeout() throws Exception {
    get("/healthy"); // the first request pays for class loading; the clock below is the phase's
    long start = System.nanoTime();
    HttpResponse<String> answer = get("/async-error/x");
    assertThat(answer.statusCode()).isEqualTo(500);
    JsonObject body = new JsonObject(answer.body());
    assertThat(body.getString("error")).isEqualTo("plugin_error");
    assertThat(body.getString("message")).contains("\"faulty\"");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as(answer.body()).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(get("/healthy").statusCode()).isEqualTo(200);
  }

  @Test
  void failuresAreCountedByPluginAndPhase() throws Exception {
    get("/runtime/request");
    get("/assertion/complete");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(count("onRequest")).isGreaterThanOrEqualTo(1);
      assertThat(count("onComplete")).isGreaterThanOrEqualTo(1);
    });
  }

  @Test
  void adminPluginsNamesTheJarAndItsApiVersion() throws Exception {
    HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.adminPort() + "/admin/plugins")).timeout(ROUTE_TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonObject faulty = null;
    JsonObject builtIn = null;
    for (Object plugin : new JsonObject(answer.body()).getJsonArray("plugins")) {
      JsonObject json = (JsonObject) plugin;
      if (json.getString("name").equals("faulty")) {
        faulty = json;
      } else {
        builtIn = json;
      }
    }
    assertThat(faulty).isNotNull();
    assertThat(faulty.getString("source")).endsWith("drop-ins/faulty.jar").startsWith("/");
    assertThat(faulty.getString("api_version")).isEqualTo(PluginApi.VERSION);
    assertThat(builtIn).isNotNull();
    assertThat(builtIn.getString("source")).isEqualTo("built-in");
  }

  private static double count(String phase) {
    Counter counter = server.gateway().meterRegistry().find("portico.plugin.errors")
        .tag("plugin", "faulty").tag("phase", phase).counter();
    return counter == null ? 0 : counter.count();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(ROUTE_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
  }
}
