package io.portico.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.PorticoServer;
import io.portico.spi.Endpoint;
import io.portico.spi.EndpointSnapshot;
import io.portico.testing.Http;
import io.portico.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An upstream fed by a discovery source: endpoints follow its snapshots, across reloads. */
class DiscoveredUpstreamTest {
  @TempDir
  Path dir;
  Vertx vertx;
  HttpClient client;
  RecordingBackend a;
  RecordingBackend b;
  PorticoServer server;
  Path config;

  private static final String YAML = """
      listen: { host: 127.0.0.1, port: 0, instances: 2 }
      admin: { host: 127.0.0.1, port: 0 }
      upstreams:
        - { name: users, discovery: { type: manual, service: %s } }
      routes:
        - { name: %s, match: { path-prefix: / }, upstream: users }
      """;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient();
    a = RecordingBackend.start(vertx);
    b = RecordingBackend.start(vertx);
    config = dir.resolve("gateway.yaml");
    Files.writeString(config, YAML.formatted("users-" + System.nanoTime(), "all"));
    server = PorticoServer.builder().config(config).vertx(vertx).start().toCompletionStage().toCompletableFuture().get();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private Http.Answer get(String path) {
    return Http.send(client, new RequestOptions().setHost("127.0.0.1").setPort(server.port()).setMethod(HttpMethod.GET).setURI(path));
  }

  private ManualDiscovery.Source source() throws Exception {
    String service = Files.readString(config).replaceAll("(?s).*service: (users-\\d+).*", "$1");
    return ManualDiscovery.SOURCES.get(service);
  }

  private static Endpoint endpoint(RecordingBackend backend, boolean ready) {
    return new Endpoint("127.0.0.1", backend.port(), 1, null, ready, Map.of());
  }

  @Test
  void endpointsFollowTheSourceAndSurviveUnrelatedReloads() throws Exception {
    assertThat(get("/x").status()).isEqualTo(503); // nothing discovered yet

    ManualDiscovery.Source source = source();
    source.publish(new EndpointSnapshot(List.of(endpoint(a, true)), "7"));
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/x").status() == 200);
    assertThat(a.received()).isNotEmpty();

    source.publish(new EndpointSnapshot(List.of(endpoint(a, false), endpoint(b, true)), "8"));
    a.clear();
    for (int i = 0; i < 10; i++) {
      assertThat(get("/y").status()).isEqualTo(200);
    }
    assertThat(a.received()).isEmpty(); // not ready: no new requests
    assertThat(b.received()).hasSizeGreaterThanOrEqualTo(10);

    JsonObject upstreams = new JsonObject(Http.send(client, new RequestOptions().setHost("127.0.0.1")
        .setPort(server.adminPort()).setURI("/admin/upstreams")).body());
    JsonObject users = upstreams.getJsonArray("upstreams").getJsonObject(0);
    assertThat(users.getString("discovery_version")).isEqualTo("8");
    assertThat(users.getJsonArray("endpoints")).hasSize(2);

    // an unrelated change keeps the running source and its endpoints
    int created = ManualDiscovery.CREATED.get();
    String service = Files.readString(config).replaceAll("(?s).*service: (users-\\d+).*", "$1");
    Files.writeString(config, YAML.formatted(service, "renamed"));
    server.reload().toCompletionStage().toCompletableFuture().get();
    assertThat(ManualDiscovery.CREATED.get()).isEqualTo(created);
    assertThat(get("/z").status()).isEqualTo(200);
    assertThat(source.closed).isFalse();

    // another service: a new source, and the old one stops
    Files.writeString(config, YAML.formatted(service + "-b", "renamed"));
    server.reload().toCompletionStage().toCompletableFuture().get();
    assertThat(source.closed).isTrue();
    assertThat(ManualDiscovery.CREATED.get()).isEqualTo(created + 1);
  }
}
