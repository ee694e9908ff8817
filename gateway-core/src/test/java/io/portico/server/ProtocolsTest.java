package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.RecordingBackend;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/2 (cleartext with prior knowledge or upgrade, and over TLS with ALPN) and WebSocket. */
class ProtocolsTest {
  static Vertx vertx;
  static RecordingBackend backend;
  static HttpServer webSocketBackend;
  static final List<String> closedByBackend = new CopyOnWriteArrayList<>();
  static SelfSignedCertificate certificate;
  static Gateway plain;
  static Gateway tls;

  @BeforeAll
  static void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    backend = RecordingBackend.start(vertx, request -> request.response()
        .end(request.method() + " " + request.uri() + " " + request.getHeader("x-forwarded-proto")));
    webSocketBackend = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .webSocketHandler(socket -> {
          socket.textMessageHandler(text -> socket.writeTextMessage("echo:" + text + " at " + socket.path()));
          socket.binaryMessageHandler(bytes -> socket.writeBinaryMessage(Buffer.buffer("bin:").appendBuffer(bytes)));
          socket.closeHandler(v -> closedByBackend.add(socket.path()));
        });
    Await.result(webSocketBackend.listen());
    String upstreams = """
        upstreams:
          - { name: backend, endpoints: [%s] }
          - { name: sockets, endpoints: [127.0.0.1:%d] }
        routes:
          - { name: ws, match: { path-prefix: /ws }, upstream: sockets }
          - { name: all, upstream: backend }
        """.formatted(backend.address(), webSocketBackend.actualPort());
    plain = Await.result(Gateway.start(vertx, Configs.load(dir, "listen: { host: 127.0.0.1, port: 0, instances: 2 }\n" + upstreams)));
    certificate = SelfSignedCertificate.create("localhost");
    tls = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1, tls: { cert: %s, key: %s } }
        """.formatted(certificate.certificatePath(), certificate.privateKeyPath()) + upstreams)));
  }

  @AfterAll
  static void stop() {
    Await.result(plain.shutdown(Duration.ofSeconds(1)));
    Await.result(tls.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
    certificate.delete();
  }

  record Answer(HttpVersion version, int status, String body) {}

  static Answer send(HttpClient client, RequestOptions options, String body) {
    return Await.result(client.request(options)
        .compose(request -> (body == null ? request.send() : request.send(body)) // nested: no race off the loop
            .compose(response -> response.body().map(b -> new Answer(response.version(), response.statusCode(), b.toString())))));
  }

  static void assertOpenConnections(Gateway gateway, String listener, long open) {
    assertThat(gateway.stats().listeners()).extracting(l -> l.name()).containsExactly(listener);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> gateway.stats().listeners().get(0).openConnections() == open);
  }

  @Test
  void h2cWithPriorKnowledge() {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(plain.port()));

    Answer get = send(client, new RequestOptions().setURI("/h2/get"), null);
    Answer post = send(client, new RequestOptions().setMethod(HttpMethod.POST).setURI("/h2/post"), "payload");

    assertThat(get).isEqualTo(new Answer(HttpVersion.HTTP_2, 200, "GET /h2/get http"));
    assertThat(post).isEqualTo(new Answer(HttpVersion.HTTP_2, 200, "POST /h2/post http"));
    assertThat(backend.last().body().toString()).isEqualTo("payload");
    assertThat(backend.last().header("host")).isEqualTo("127.0.0.1:" + plain.port());
    Await.result(client.close());
  }

  @Test
  void h2cByUpgrade() {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(true).setDefaultHost("127.0.0.1").setDefaultPort(plain.port()));

    Answer first = send(client, new RequestOptions().setURI("/up/1"), null);
    Answer second = send(client, new RequestOptions().setURI("/up/2"), null);

    assertThat(first).isEqualTo(new Answer(HttpVersion.HTTP_2, 200, "GET /up/1 http"));
    assertThat(second).isEqualTo(new Answer(HttpVersion.HTTP_2, 200, "GET /up/2 http"));
    assertOpenConnections(plain, "http", 1); // upgraded from HTTP/1: still one connection
    Await.result(client.close());
    assertOpenConnections(plain, "http", 0);
  }

  @Test
  void tlsWithH2ByAlpn() {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
        .setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2).setDefaultHost("127.0.0.1").setDefaultPort(tls.port()));

    Answer answer = send(client, new RequestOptions().setMethod(HttpMethod.POST).setURI("/secure"), "over tls");

    assertThat(answer).isEqualTo(new Answer(HttpVersion.HTTP_2, 200, "POST /secure https"));
    assertThat(backend.last().body().toString()).isEqualTo("over tls");
    assertOpenConnections(tls, "https", 1);
    Await.result(client.close());
    assertOpenConnections(tls, "https", 0);
  }

  @Test
  void tlsWithHttp11() {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
        .setDefaultHost("127.0.0.1").setDefaultPort(tls.port()));

    assertThat(send(client, new RequestOptions().setURI("/secure/1"), null))
        .isEqualTo(new Answer(HttpVersion.HTTP_1_1, 200, "GET /secure/1 https"));
    Await.result(client.close());
  }

  @Test
  void ambiguousFramingOverTlsIsRefusedToo() throws Exception {
    javax.net.ssl.SSLContext tlsContext = javax.net.ssl.SSLContext.getInstance("TLS");
    tlsContext.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
      @Override
      public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) { }

      @Override
      public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) { }

      @Override
      public java.security.cert.X509Certificate[] getAcceptedIssuers() {
        return new java.security.cert.X509Certificate[0];
      }
    }}, null);
    int before = backend.heads();
    try (java.net.Socket socket = tlsContext.getSocketFactory().createSocket("127.0.0.1", tls.port())) {
      socket.setSoTimeout(3000);
      socket.getOutputStream().write(("POST /smuggle HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      io.portico.testing.RawHttp.Exchange exchange = io.portico.testing.RawHttp.read(socket);
      assertThat(exchange.status()).isEqualTo(400);
      assertThat(exchange.closed()).isTrue();
    }
    assertThat(backend.heads()).isEqualTo(before);
  }

  @Test
  void webSocketFramesFlowBothWaysAndCloseReachesTheBackend() {
    WebSocket socket = Await.result(vertx.createWebSocketClient(new WebSocketClientOptions())
        .connect(plain.port(), "127.0.0.1", "/ws/chat?room=1"));
    List<String> messages = new CopyOnWriteArrayList<>();
    Promise<Void> two = Promise.promise();
    socket.textMessageHandler(text -> {
      messages.add(text);
      if (messages.size() == 2) {
        two.tryComplete();
      }
    });
    socket.binaryMessageHandler(bytes -> {
      messages.add(bytes.toString());
      if (messages.size() == 2) {
        two.tryComplete();
      }
    });
    socket.writeTextMessage("hello");
    socket.writeBinaryMessage(Buffer.buffer("raw"));
    Await.result(two.future());
    Await.result(socket.close());

    assertThat(messages).containsExactlyInAnyOrder("echo:hello at /ws/chat", "bin:raw");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> closedByBackend.contains("/ws/chat"));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> plain.inFlight() == 0);
  }
}
