package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.portico.spi.ExchangeLog;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.Http;
import io.portico.testing.Http.Answer;
import io.portico.testing.RawHttp;
import io.portico.testing.RecordingBackend;
import io.portico.testing.plugins.TraceLog;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order and the guarantees of plugin phases around a real upstream call. */
class PluginPhasesTest {
  static Vertx vertx;
  static RecordingBackend backend;
  static Gateway gateway;
  static HttpClient client;

  @BeforeAll
  static void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    backend = RecordingBackend.start(vertx);
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 2 }
        upstreams:
          - name: backend
            endpoints: [%s]
          - name: dead
            endpoints: [127.0.0.1:%d]
        plugins:
          trace-ingress: {}
        routes:
          - name: chain
            match: { path-prefix: /chain }
            upstream: backend
            plugins: { trace-authn: { add-header: x-added }, trace-traffic: {} }
          - name: refuse
            match: { path-prefix: /refuse }
            upstream: backend
            plugins: { trace-authn: { reply-status: 401 }, trace-traffic: {} }
          - name: boom
            match: { path-prefix: /boom }
            upstream: backend
            plugins: { trace-authn: {}, trace-traffic: { fail: true } }
          - name: replace
            match: { path-prefix: /replace }
            upstream: backend
            plugins: { trace-authn: {}, trace-traffic: { replace-status: 418 } }
          - name: slow
            match: { path-prefix: /slow }
            upstream: backend
            plugins: { trace-authn: { delay-millis: 200 }, trace-traffic: {} }
          - name: fallback
            match: { path-prefix: /fallback }
            upstream: dead
            plugins: { fallback: { body: degraded } }
        """.formatted(backend.address(), Http.closedPort()))));
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
  }

  @BeforeEach
  void clear() {
    TraceLog.clear();
    backend.clear();
  }

  static Answer get(String uri, String requestId) {
    return Http.send(client, new RequestOptions().setURI(uri).putHeader("x-request-id", requestId));
  }

  static List<String> traceOf(String id, int events) {
    await().atMost(Duration.ofSeconds(5)).until(() -> TraceLog.of(id).size() >= events);
    return TraceLog.of(id);
  }

  @Test
  void phasesRunInOrderAndResponsesInReverse() {
    Answer answer = get("/chain", "c1");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("x-added")).isEqualTo("trace-authn");
    assertThat(backend.last().header("x-added")).isEqualTo("trace-authn");
    assertThat(traceOf("c1", 9)).containsExactly(
        "trace-ingress.onRequest", "trace-authn.onRequest", "trace-traffic.onRequest",
        "trace-traffic.onResponse 200", "trace-authn.onResponse 200", "trace-ingress.onResponse 200",
        "trace-traffic.onComplete 200", "trace-authn.onComplete 200", "trace-ingress.onComplete 200");
  }

  @Test
  void replyShortCircuitsTheRestAndTheUpstream() {
    Answer answer = get("/refuse", "r1");

    assertThat(answer.status()).isEqualTo(401);
    JsonObject json = new JsonObject(answer.body());
    assertThat(json.getString("error")).isEqualTo("trace-authn_says_no");
    assertThat(json.getString("request_id")).isEqualTo("r1");
    assertThat(traceOf("r1", 6)).containsExactly(
        "trace-ingress.onRequest", "trace-authn.onRequest",
        "trace-authn.onResponse 401", "trace-ingress.onResponse 401",
        "trace-authn.onComplete 401 trace-authn_says_no", "trace-ingress.onComplete 401 trace-authn_says_no");
    assertThat(backend.heads()).isZero();
  }

  @Test
  void throwingPluginGives500AndCompletesEveryPluginThatRan() {
    Answer answer = get("/boom", "b1");

    assertThat(answer.status()).isEqualTo(500);
    assertThat(new JsonObject(answer.body()).getString("error")).isEqualTo("plugin_error");
    assertThat(traceOf("b1", 6)).containsExactly(
        "trace-ingress.onRequest", "trace-authn.onRequest", "trace-traffic.onRequest",
        "trace-traffic.onComplete 500 plugin_error", "trace-authn.onComplete 500 plugin_error",
        "trace-ingress.onComplete 500 plugin_error");
    assertThat(backend.heads()).isZero();
  }

  @Test
  void onResponseReplyReplacesTheAnswerForTheRest() {
    Answer answer = get("/replace", "p1");

    assertThat(answer.status()).isEqualTo(418);
    assertThat(answer.header("x-replaced-by")).isEqualTo("trace-traffic");
    assertThat(traceOf("p1", 9)).containsSubsequence(
        "trace-traffic.onResponse 200", "trace-authn.onResponse 418", "trace-ingress.onResponse 418",
        "trace-traffic.onComplete 418");
  }

  @Test
  void asynchronousDecisionsResumeTheChain() {
    Answer answer = get("/slow", "s1");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(traceOf("s1", 9)).startsWith("trace-ingress.onRequest", "trace-authn.onRequest", "trace-traffic.onRequest");
  }

  @Test
  void clientLeavingMidChainCompletesEachPluginOnce() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      OutputStream out = socket.getOutputStream();
      out.write("GET /slow HTTP/1.1\r\nHost: a\r\nX-Request-Id: gone1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      await().atMost(Duration.ofSeconds(5)).until(() -> TraceLog.of("gone1").contains("trace-authn.onRequest"));
    }
    List<String> trace = traceOf("gone1", 4);
    Thread.sleep(500); // nothing more may arrive: the traffic plugin must never run, nothing completes twice
    assertThat(TraceLog.of("gone1")).containsExactly(
        "trace-ingress.onRequest", "trace-authn.onRequest",
        "trace-authn.onComplete 0", "trace-ingress.onComplete 0");
    assertThat(trace).doesNotContain("trace-traffic.onRequest");
    assertThat(backend.heads()).isZero();
    ExchangeLog log = TraceLog.completed("gone1");
    assertThat(log.pluginNanos(1)).as("the pending phase counts until the exchange ended").isPositive();
    assertThat(log.pluginNanos(2)).isEqualTo(-1);
  }

  @Test
  void theExchangeLogTimesEachPluginIncludingAsynchronousWaits() {
    assertThat(get("/slow", "t1").status()).isEqualTo(200);
    traceOf("t1", 9);

    ExchangeLog log = TraceLog.completed("t1");
    assertThat(log.pluginNames()).containsExactly("trace-ingress", "trace-authn", "trace-traffic");
    assertThat(log.pluginNanos(1)).as("trace-authn waits 200 ms on a timer").isGreaterThanOrEqualTo(190_000_000L);
    assertThat(log.pluginNanos(0)).isBetween(0L, 150_000_000L);
    assertThat(log.pluginNanos(2)).isBetween(0L, 150_000_000L);
    assertThat(log.pluginNanos(1)).isLessThanOrEqualTo(log.durationNanos());
  }

  @Test
  void pluginsSkippedByAnAnswerHaveNoTime() {
    assertThat(get("/refuse", "t2").status()).isEqualTo(401);
    traceOf("t2", 6);
    assertThat(get("/refuse", "t3").status()).isEqualTo(401);
    traceOf("t3", 6);

    ExchangeLog log = TraceLog.completed("t2");
    assertThat(log.pluginNanos(0)).isNotNegative();
    assertThat(log.pluginNanos(1)).isNotNegative();
    assertThat(log.pluginNanos(2)).isEqualTo(-1);
    assertThatThrownBy(() -> log.pluginNanos(3)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(TraceLog.completed("t3").pluginNames()).as("one list per compiled chain").isSameAs(log.pluginNames());
  }

  @Test
  void interceptorAnswersWhenTheUpstreamFails() {
    Answer answer = get("/fallback", "f1");

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.body()).isEqualTo("degraded");
    assertThat(traceOf("f1", 4)).contains("fallback.intercept", "trace-ingress.onComplete 503");
  }

  @Test
  void snapshotShowsTheChainOfEachRoute() {
    var routes = gateway.snapshot().routes();
    var chain = routes.stream().filter(r -> r.name().equals("chain")).findFirst().orElseThrow();
    assertThat(chain.plugins()).extracting(p -> p.name()).containsExactly("trace-ingress", "trace-authn", "trace-traffic");
    assertThat(gateway.snapshot().upstreams()).extracting(u -> u.name()).containsExactly("backend", "dead");
  }

  @Test
  void rawRequestWithUnreadBodyAndEarlyReplyClosesTheConnection() {
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(),
        "POST /refuse HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n", 3000);

    assertThat(exchange.status()).isEqualTo(401);
    assertThat(exchange.closed()).isTrue();
  }
}
