package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.pkitesting.X509Bundle;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.Http;
import io.portico.testing.TestPki;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event-loop transport setting, and the proxy working end to end on io_uring (the default
 * where the kernel allows it): HTTP/1.1 with a streamed body, HTTP/2 from the client, h2c and h2
 * (TLS with ALPN) to upstreams.
 */
class EventLoopTransportTest {
  @TempDir
  Path dir;
  Vertx vertx;
  Gateway gateway;
  final Set<HttpVersion> upstreamVersions = ConcurrentHashMap.newKeySet();

  @AfterEach
  void stop() {
    if (gateway != null) {
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    }
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  static boolean available(Transport transport) {
    return transport != null && transport.available();
  }

  static UnaryOperator<String> settings(Map<String, String> values) {
    return values::get;
  }

  @Test
  void autoTakesTheFirstAvailableOfIoUringEpollAndNio() {
    Transport expected = available(Transport.IO_URING) ? Transport.IO_URING
        : available(Transport.EPOLL) ? Transport.EPOLL
        : available(Transport.KQUEUE) ? Transport.KQUEUE : Transport.NIO;

    assertThat(EventLoopTransport.choose(settings(Map.of()))).isSameAs(expected);
    assertThat(EventLoopTransport.choose(settings(Map.of(EventLoopTransport.ENV, "auto")))).isSameAs(expected);
  }

  @Test
  void theSystemPropertyWinsOverTheEnvironment() {
    Transport chosen = EventLoopTransport.choose(settings(Map.of(
        EventLoopTransport.PROPERTY, "nio", EventLoopTransport.ENV, "no-such-transport")));

    assertThat(chosen).isSameAs(Transport.NIO);
    assertThat(EventLoopTransport.choose(settings(Map.of(EventLoopTransport.ENV, " NIO ")))).isSameAs(Transport.NIO);
  }

  @Test
  void anUnknownOrUnavailableTransportStopsTheStartWithItsName() {
    assertThatThrownBy(() -> EventLoopTransport.choose(settings(Map.of(EventLoopTransport.ENV, "uring2"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("PORTICO_TRANSPORT=uring2: unknown transport (use auto, io_uring, epoll, kqueue or nio)");
    assumeTrue(!available(Transport.KQUEUE), "kqueue is available here (macOS)");
    assertThatThrownBy(() -> EventLoopTransport.choose(settings(Map.of(EventLoopTransport.PROPERTY, "kqueue"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("-Dportico.transport=kqueue: not available here: ");
  }

  @Test
  void autoTriesEveryAvailableTransportBestFirstAndNioLast() {
    List<Transport> candidates = EventLoopTransport.candidates(settings(Map.of()));

    assertThat(candidates.get(0)).isSameAs(EventLoopTransport.choose(settings(Map.of())));
    assertThat(candidates.get(candidates.size() - 1)).isSameAs(Transport.NIO);
    assertThat(candidates).allMatch(EventLoopTransportTest::available);
    assertThat(EventLoopTransport.candidates(settings(Map.of(EventLoopTransport.ENV, "nio")))).containsExactly(Transport.NIO);
  }

  @Test
  void aTransportWhoseLoopsFailToStartGivesWayToTheNext() {
    List<Transport> tried = new ArrayList<>();
    vertx = EventLoopTransport.vertx(new VertxOptions().setEventLoopPoolSize(1), List.of(Transport.EPOLL, Transport.NIO),
        (options, transport) -> {
          tried.add(transport);
          if (transport == Transport.EPOLL) {
            throw new IllegalStateException("failed to create a ring"); // as a refused io_uring_setup would
          }
          return Vertx.builder().with(options).withTransport(transport).build();
        });

    assertThat(tried).containsExactly(Transport.EPOLL, Transport.NIO);
    assertThat(vertx.isNativeTransportEnabled()).isFalse();
    assertThatThrownBy(() -> EventLoopTransport.vertx(new VertxOptions(), List.of(Transport.NIO), (options, transport) -> {
      throw new IllegalStateException("no loops");
    })).isInstanceOf(IllegalStateException.class).hasMessage("event loops could not start on nio")
        .hasRootCauseMessage("no loops");
  }

  /** A gateway and its backends on one io_uring Vert.x with one event loop. */
  void onIoUring() {
    assumeTrue(available(Transport.IO_URING), "io_uring is not available on this kernel");
    vertx = EventLoopTransport.vertx(new VertxOptions().setEventLoopPoolSize(1),
        settings(Map.of(EventLoopTransport.PROPERTY, "io_uring")));
    assertThat(((VertxInternal) vertx).transport().getClass().getSimpleName()).isEqualTo("IoUringTransport");
  }

  int backend(HttpServerOptions options) {
    return Await.result(vertx.createHttpServer(options.setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> {
          upstreamVersions.add(request.version());
          request.body().onSuccess(body -> request.response()
              .end(request.method() + " " + request.uri() + " " + body.length()));
        })
        .listen()).actualPort();
  }

  HttpClient startGateway(String upstreams, HttpClientOptions clientOptions) {
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
        %s
        routes:
          - { name: plain, match: { path-prefix: /plain }, upstream: plain }
          - { name: cleartext-h2, match: { path-prefix: /h2c }, upstream: cleartext-h2 }
          - { name: tls-h2, match: { path-prefix: /h2 }, upstream: tls-h2 }
        """.formatted(upstreams))));
    return vertx.createHttpClient(clientOptions.setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
  }

  HttpServerOptions tlsWithAlpn() {
    X509Bundle ca = TestPki.ca("internal-ca");
    TestPki.writeCa(dir, "internal-ca", ca);
    TestPki.write(dir, "backend", TestPki.leaf(ca, "billing.internal", "billing.internal"));
    return new HttpServerOptions().setSsl(true).setUseAlpn(true)
        .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(dir.resolve("backend.pem").toString())
            .setKeyPath(dir.resolve("backend.key").toString()));
  }

  @Test
  void theProxyServesHttp1AndHttp2OnIoUring() {
    onIoUring();
    int plain = backend(new HttpServerOptions());
    int h2c = backend(new HttpServerOptions());
    int h2 = backend(tlsWithAlpn());
    String upstreams = """
          - { name: plain, endpoints: [127.0.0.1:%d] }
          - { name: cleartext-h2, endpoints: [127.0.0.1:%d], protocol: h2c }
          - { name: tls-h2, endpoints: [127.0.0.1:%d], protocol: h2, tls: { ca: internal-ca.pem, server-name: billing.internal } }
        """.formatted(plain, h2c, h2);
    HttpClient http1 = startGateway(upstreams, new HttpClientOptions());
    HttpClient http2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));

    Http.Answer get = Http.send(http1, new RequestOptions().setURI("/plain/item"));
    Http.Answer post = Http.send(http1, new RequestOptions().setMethod(HttpMethod.POST).setURI("/plain/upload"),
        Buffer.buffer(new byte[1 << 20]));
    Http.Answer overH2c = Http.send(http1, new RequestOptions().setMethod(HttpMethod.POST).setURI("/h2c/upload"),
        Buffer.buffer(new byte[300_000]));
    Http.Answer overH2 = Http.send(http1, new RequestOptions().setURI("/h2/secure"));
    Http.Answer fromH2Client = Http.send(http2, new RequestOptions().setURI("/plain/from-h2"));

    assertThat(get.body()).isEqualTo("GET /plain/item 0");
    assertThat(post.body()).isEqualTo("POST /plain/upload 1048576");
    assertThat(overH2c.body()).isEqualTo("POST /h2c/upload 300000");
    assertThat(overH2.body()).isEqualTo("GET /h2/secure 0");
    assertThat(fromH2Client.status()).isEqualTo(200);
    assertThat(fromH2Client.body()).isEqualTo("GET /plain/from-h2 0");
    assertThat(upstreamVersions).containsExactlyInAnyOrder(HttpVersion.HTTP_1_1, HttpVersion.HTTP_2);
  }
}
