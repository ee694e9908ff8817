package io.portico.plugins.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.portico.testkit.RecordedRequest;
import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ObservabilityTest {
  static final InMemorySpanExporter spans = InMemorySpanExporter.create();
  static TestBackend ok;
  static TestBackend failing;
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    TracingPluginFactory.exportTo(spans);
    ok = TestBackend.start();
    failing = TestBackend.start();
    failing.respondWith(500);
    gateway = TestGateway.start("""
        upstreams:
          - { name: good, endpoints: [%s] }
          - { name: bad, endpoints: [%s] }
        routes:
          - { name: a, match: { path-prefix: /a }, upstream: good }
          - { name: b, match: { path-prefix: /b }, upstream: bad }
          - name: traced
            match: { path-prefix: /traced }
            upstream: good
            plugins: { tracing: { sampling-ratio: 1.0 } }
          - name: chained
            match: { path-prefix: /chained }
            upstream: good
            plugins: { test-gate: {}, test-wait: { millis: 20 } }
          - { name: p, match: { path-prefix: /p }, upstream: good }
          - name: logged
            match: { path-prefix: /logged }
            upstream: good
            plugins: { access-log: { path: access.log } }
        plugins:
          metrics: { max-routes: 4 }
        """.formatted(ok.address(), failing.address()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    ok.close();
    failing.close();
    TracingPluginFactory.exportTo(null);
  }

  /**
   * The metrics text once {@code series} reached {@code expected}: an exchange's statistics are
   * recorded in onComplete, which may run just after the client read the answer.
   */
  private String metricsOnce(String series, double expected) {
    String[] metrics = new String[1];
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      metrics[0] = gateway.admin("/metrics").bodyAsString();
      assertThat(sample(metrics[0], series)).isEqualTo(expected);
    });
    return metrics[0];
  }

  static double sample(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return -1;
  }

  @Test
  void countsExactlyTheRequestsSentPerRouteAndStatusClass() {
    for (int i = 0; i < 7; i++) {
      assertThat(gateway.get("/a/x").status()).isEqualTo(200);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(gateway.get("/b/x").status()).isEqualTo(500);
    }
    String metrics = metricsOnce("portico_plugin_duration_seconds_count{plugin=\"metrics\",route=\"b\"}", 3.0);
    assertThat(sample(metrics, "portico_requests_total{method=\"GET\",route=\"a\",status_class=\"2xx\",upstream=\"good\"}")).isEqualTo(7.0);
    assertThat(sample(metrics, "portico_requests_total{method=\"GET\",route=\"b\",status_class=\"5xx\",upstream=\"bad\"}")).isEqualTo(3.0);

    // histogram buckets are cumulative, and +Inf equals the count
    List<Double> buckets = new ArrayList<>();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("portico_request_duration_seconds_bucket{") && line.contains("route=\"a\"")) {
        buckets.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    assertThat(buckets).hasSizeGreaterThan(5).isSorted();
    assertThat(buckets.get(buckets.size() - 1)).isEqualTo(7.0);
    assertThat(sample(metrics, "portico_request_duration_seconds_count{route=\"a\"}")).isEqualTo(7.0);
    assertThat(sample(metrics, "portico_upstream_duration_seconds_count{route=\"a\",upstream=\"good\"}")).isEqualTo(7.0);
    assertThat(sample(metrics, "portico_plugin_duration_seconds_count{plugin=\"metrics\",route=\"a\"}")).isEqualTo(7.0);
    assertThat(sample(metrics, "portico_plugin_duration_seconds_count{plugin=\"metrics\",route=\"b\"}")).isEqualTo(3.0);
  }

  @Test
  void timesEachPluginThatRanPerRouteIncludingAsynchronousWaits() {
    for (int i = 0; i < 4; i++) {
      assertThat(gateway.get("/chained/x").status()).isEqualTo(200);
    }
    for (int i = 0; i < 2; i++) {
      assertThat(gateway.get("/chained/x", "x-refuse", "yes").status()).isEqualTo(403);
    }
    String chained = "route=\"chained\"";
    String metrics = metricsOnce("portico_plugin_duration_seconds_count{plugin=\"metrics\"," + chained + "}", 6.0);
    assertThat(sample(metrics, "portico_plugin_duration_seconds_count{plugin=\"metrics\"," + chained + "}")).isEqualTo(6.0);
    assertThat(sample(metrics, "portico_plugin_duration_seconds_count{plugin=\"test-gate\"," + chained + "}")).isEqualTo(6.0);
    // the gate answered two requests: the plugin after it did not run for them
    assertThat(sample(metrics, "portico_plugin_duration_seconds_count{plugin=\"test-wait\"," + chained + "}")).isEqualTo(4.0);
    // test-wait returns a pending future and completes it 20 ms later: the wait counts
    assertThat(sample(metrics, "portico_plugin_duration_seconds_sum{plugin=\"test-wait\"," + chained + "}")).isGreaterThanOrEqualTo(0.076);
    assertThat(sample(metrics, "portico_plugin_duration_seconds_bucket{plugin=\"test-wait\"," + chained + ",le=\"0.01\"}")).isZero();
    assertThat(sample(metrics, "portico_plugin_duration_seconds_bucket{plugin=\"test-wait\"," + chained + ",le=\"+Inf\"}")).isEqualTo(4.0);
    assertThat(metrics).doesNotContain("plugin=\"tracing\"," + chained);
  }

  @Test
  void exportsConnectionGaugesAndProcessMetrics() {
    assertThat(gateway.get("/p/gauges").status()).isEqualTo(200);
    String metrics = gateway.admin("/metrics").bodyAsString();
    assertThat(sample(metrics, "portico_open_connections{listener=\"http\"}")).isGreaterThanOrEqualTo(0.0);
    assertThat(sample(metrics, "portico_upstream_open_connections")).isGreaterThanOrEqualTo(1.0);
    assertThat(sample(metrics, "portico_requests_in_flight")).isGreaterThanOrEqualTo(0.0);
    assertThat(sample(metrics, "portico_netty_allocator_used_bytes{type=\"direct\"}")).isGreaterThanOrEqualTo(0.0);
    assertThat(sample(metrics, "portico_netty_allocator_used_bytes{type=\"heap\"}")).isGreaterThanOrEqualTo(0.0);
    assertThat(sample(metrics, "portico_executor_pool_max_threads{name=\"vertx-worker\"}")).isPositive();
    assertThat(metrics).contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads", "process_uptime_seconds");
  }

  @Test
  void routesBeyondTheSeriesCapShareTheOverflowLabel() {
    gateway.get("/logged/x");
    String metrics = gateway.admin("/metrics").bodyAsString();
    assertThat(metrics).contains("route=\"_overflow\"").doesNotContain("route=\"logged\"");
  }

  @Test
  void promtoolAcceptsTheOutput() throws Exception {
    assumeTrue(Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "promtool"))),
        "promtool (Debian package prometheus) is not installed");
    gateway.get("/p/x");
    String metrics = gateway.admin("/metrics").bodyAsString();
    Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    promtool.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
    promtool.getOutputStream().close();
    String report = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(promtool.exitValue()).as(report).isZero();
  }

  @Test
  void tracesLinkServerAndClientSpansAndPropagateContextUpstream() {
    spans.reset();
    String incomingTrace = "0af7651916cd43dd8448eb211c80319c";
    String incomingSpan = "b7ad6b7169203331";
    int before = ok.requestCount();
    assertThat(gateway.get("/traced/x", "traceparent", "00-" + incomingTrace + "-" + incomingSpan + "-01",
        "baggage", "tenant=acme").status()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().size() == 2);
    SpanData server = spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    SpanData client = spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
    assertThat(server.getTraceId()).isEqualTo(incomingTrace);
    assertThat(server.getParentSpanId()).isEqualTo(incomingSpan);
    assertThat(client.getTraceId()).isEqualTo(incomingTrace);
    assertThat(client.getParentSpanId()).isEqualTo(server.getSpanId());

    RecordedRequest received = ok.requests().get(before);
    assertThat(received.header("traceparent")).isEqualTo("00-" + incomingTrace + "-" + client.getSpanId() + "-01");
    assertThat(received.header("baggage")).contains("tenant=acme");
  }

  @Test
  void theAccessLogHasOneParseableLinePerRequest() throws Exception {
    Path log = gateway.configDir().resolve("access.log");
    for (int i = 0; i < 5; i++) {
      gateway.get("/logged/item-" + i, "X-Request-Id", "req-" + i);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log)
        && Files.readAllLines(log).stream().filter(l -> l.contains("\"req-")).count() == 5);
    List<JsonObject> lines = Files.readAllLines(log).stream().map(JsonObject::new)
        .filter(l -> String.valueOf(l.getString("request_id")).startsWith("req-")).toList();
    for (int i = 0; i < 5; i++) {
      JsonObject line = lines.get(i);
      assertThat(line.getString("request_id")).isEqualTo("req-" + i);
      assertThat(line.getString("route")).isEqualTo("logged");
      assertThat(line.getString("upstream")).isEqualTo("good");
      assertThat(line.getString("endpoint")).isEqualTo(ok.address());
      assertThat(line.getInteger("status")).isEqualTo(200);
      assertThat(line.getString("path")).isEqualTo("/logged/item-" + i);
      assertThat(line.getString("client_ip")).isEqualTo("127.0.0.1");
      assertThat(line.getDouble("duration_ms")).isPositive();
      assertThat(line.getDouble("upstream_ms")).isPositive();
      assertThat(line.containsKey("time")).isTrue();
      assertThat(line.containsKey("bytes_out")).isTrue();
      assertThat(line.getInteger("grpc_status")).isNull(); // not a gRPC call
    }
  }

  @Test
  void aGrpcCallHasItsStatusInTheAccessLogAndOnItsServerSpan() throws Exception {
    Path log = gateway.configDir().resolve("access.log");
    // the backend answers 200 without grpc-status: a gRPC client reads that as UNKNOWN (2)
    gateway.post("/logged/svc.Echo/Call", "\0\0\0\0\0", "content-type", "application/grpc", "X-Request-Id", "grpc-1");
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log)
        && Files.readAllLines(log).stream().anyMatch(l -> l.contains("\"grpc-1\"")));
    JsonObject line = Files.readAllLines(log).stream().filter(l -> l.contains("\"grpc-1\"")).map(JsonObject::new)
        .findFirst().orElseThrow();
    assertThat(line.getInteger("grpc_status")).isEqualTo(2);

    spans.reset();
    gateway.post("/traced/svc.Echo/Call", "\0\0\0\0\0", "content-type", "application/grpc");
    await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream().anyMatch(s -> s.getKind() == SpanKind.SERVER));
    SpanData server = spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    assertThat(server.getAttributes().get(io.opentelemetry.api.common.AttributeKey.longKey("rpc.grpc.status_code"))).isEqualTo(2L);
    assertThat(server.getStatus().getStatusCode()).isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);

    // counted by gRPC code, within the route-series cap (logged is beyond it)
    String metrics = metricsOnce("portico_grpc_responses_total{code=\"UNKNOWN\",route=\"traced\"}", 1.0);
    assertThat(sample(metrics, "portico_grpc_responses_total{code=\"UNKNOWN\",route=\"_overflow\"}")).isGreaterThanOrEqualTo(1.0);
    assertThat(metrics).doesNotContain("portico_grpc_responses_total{code=\"UNKNOWN\",route=\"logged\"}");
  }
}
