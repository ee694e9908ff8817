package io.portico.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.pkitesting.X509Bundle;
import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.Http;
import io.portico.testing.TestPki;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 to plain HTTP upstreams: h2c multiplexes many requests over few connections, h2 agrees on
 * HTTP/2 by ALPN over TLS, and auto falls back to HTTP/1.1 when the server offers only that.
 */
class Http2UpstreamTest {
  @TempDir
  Path dir;
  Vertx vertx;
  Gateway gateway;
  HttpClient client;
  final AtomicInteger backendConnections = new AtomicInteger();
  final Set<HttpVersion> versions = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    }
    Await.result(vertx.close());
  }

  /** A backend answering after {@code delayMillis}, counting connections and the HTTP versions it saw. */
  int backend(HttpServerOptions options, long delayMillis) {
    HttpServer server = vertx.createHttpServer(options.setHost("127.0.0.1").setPort(0))
        .connectionHandler(connection -> backendConnections.incrementAndGet())
        .requestHandler(request -> {
          versions.add(request.version());
          request.body().onSuccess(body -> {
            Runnable answer = () -> request.response().putHeader("x-version", request.version().name())
                .end(request.method() + " " + request.uri() + " " + body.length());
            if (delayMillis > 0) {
              vertx.setTimer(delayMillis, t -> answer.run());
            } else {
              answer.run();
            }
          });
        });
    return Await.result(server.listen()).actualPort();
  }

  void gateway(String upstream) {
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - %s
        routes:
          - { name: app, upstream: app }
        """.formatted(upstream))));
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()),
        new PoolOptions().setHttp1MaxSize(200));
  }

  @Test
  void manyConcurrentRequestsShareFewH2cConnections() {
    int port = backend(new HttpServerOptions(), 200);
    gateway("{ name: app, endpoints: [127.0.0.1:%d], protocol: h2c, http2: { max-concurrent-streams: 100, max-connections: 2 } }"
        .formatted(port));

    List<Future<Http.Answer>> answers = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      answers.add(client.request(new RequestOptions().setURI("/item/" + i))
          .compose(request -> request.send().compose(response -> response.body()
              .map(body -> new Http.Answer(response.statusCode(), response.headers(), body.toString())))));
    }
    for (int i = 0; i < answers.size(); i++) {
      Http.Answer answer = Await.result(answers.get(i), 30);
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("GET /item/" + i + " 0");
    }

    assertThat(versions).containsExactly(HttpVersion.HTTP_2);
    // 150 requests in flight at once, 100 streams per connection: two connections carry them all
    assertThat(backendConnections.get()).isBetween(1, 2);
  }

  @Test
  void aRequestBodyStreamsOverH2c() {
    int port = backend(new HttpServerOptions(), 0);
    gateway("{ name: app, endpoints: [127.0.0.1:%d], protocol: h2c }".formatted(port));

    Http.Answer answer = Http.send(client, new RequestOptions().setMethod(io.vertx.core.http.HttpMethod.POST).setURI("/upload"),
        io.vertx.core.buffer.Buffer.buffer(new byte[300_000]));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("POST /upload 300000");
    assertThat(answer.headers().get("x-version")).isEqualTo("HTTP_2");
  }

  @Test
  void aFullPoolQueuesBrieflyThenAnswersUpstreamOverloaded() {
    int port = backend(new HttpServerOptions(), 1500);
    gateway("{ name: app, endpoints: [127.0.0.1:%d], protocol: h2c, connect-timeout: 200ms, "
        .formatted(port) + "http2: { max-concurrent-streams: 1, max-connections: 1 } }");

    List<Future<Http.Answer>> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(client.request(new RequestOptions().setURI("/slow/" + i))
          .compose(request -> request.send().compose(response -> response.body()
              .map(body -> new Http.Answer(response.statusCode(), response.headers(), body.toString())))));
    }
    List<Integer> statuses = new ArrayList<>();
    List<String> bodies = new ArrayList<>();
    for (Future<Http.Answer> answer : answers) {
      statuses.add(Await.result(answer, 30).status());
      bodies.add(Await.result(answer, 30).body());
    }

    // one stream at a time on one connection: the first is served, the others wait 200 ms for a
    // stream, then are refused
    assertThat(statuses).containsExactlyInAnyOrder(200, 503, 503);
    assertThat(bodies).filteredOn(b -> b.contains("upstream_overloaded")).hasSize(2);
    assertThat(backendConnections.get()).isEqualTo(1);
  }

  @Test
  void anUpstreamResetCutsTheClientsStream() {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> {
          request.response().setChunked(true).write("partial ");
          vertx.setTimer(50, t -> request.response().reset(2)); // INTERNAL_ERROR mid-body
        });
    int port = Await.result(server.listen()).actualPort();
    gateway("{ name: app, endpoints: [127.0.0.1:%d], protocol: h2c }".formatted(port));
    HttpClient h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));

    Throwable failure = io.portico.testing.Await.failure(h2.request(new RequestOptions().setURI("/cut"))
        .compose(request -> request.send().compose(response -> {
          assertThat(response.statusCode()).isEqualTo(200);
          return response.body();
        })));

    assertThat(failure).isInstanceOf(io.vertx.core.http.StreamResetException.class);
  }

  HttpServerOptions tls(boolean h2) {
    X509Bundle ca = TestPki.ca("internal-ca");
    TestPki.writeCa(dir, "internal-ca", ca);
    TestPki.write(dir, "backend", TestPki.leaf(ca, "billing.internal", "billing.internal"));
    HttpServerOptions options = new HttpServerOptions().setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(dir.resolve("backend.pem").toString())
            .setKeyPath(dir.resolve("backend.key").toString()));
    if (h2) {
      options.setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
    } else {
      options.setUseAlpn(false);
    }
    return options;
  }

  @Test
  void h2AgreesOnHttp2ByAlpn() {
    int port = backend(tls(true), 0);
    gateway("{ name: app, endpoints: [127.0.0.1:%d], protocol: h2, tls: { ca: internal-ca.pem, server-name: billing.internal } }"
        .formatted(port));

    Http.Answer answer = Http.send(client, new RequestOptions().setURI("/secure"));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("GET /secure 0");
    assertThat(versions).containsExactly(HttpVersion.HTTP_2);
  }

  @Test
  void autoUsesHttp2WhenTheServerOffersIt() {
    int port = backend(tls(true), 0);
    gateway("{ name: app, endpoints: [127.0.0.1:%d], protocol: auto, tls: { ca: internal-ca.pem, server-name: billing.internal } }"
        .formatted(port));

    Http.Answer answer = Http.send(client, new RequestOptions().setURI("/a"));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(versions).containsExactly(HttpVersion.HTTP_2);
  }

  @Test
  void autoFallsBackToHttp11WithoutH2() {
    int port = backend(tls(false), 0);
    gateway("{ name: app, endpoints: [127.0.0.1:%d], protocol: auto, tls: { ca: internal-ca.pem, server-name: billing.internal } }"
        .formatted(port));

    for (int i = 0; i < 3; i++) {
      Http.Answer answer = Http.send(client, new RequestOptions().setURI("/old/" + i));
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("GET /old/" + i + " 0");
    }
    assertThat(versions).containsExactly(HttpVersion.HTTP_1_1);
  }

  @Test
  void h2AgainstAnHttp11OnlyServerFailsTheTry() {
    int port = backend(tls(false), 0);
    gateway("{ name: app, endpoints: [127.0.0.1:%d], protocol: h2, tls: { ca: internal-ca.pem, server-name: billing.internal } }"
        .formatted(port));

    Http.Answer answer = Http.send(client, new RequestOptions().setURI("/x"));

    assertThat(answer.status()).isEqualTo(502);
    assertThat(versions).isEmpty();
  }
}
