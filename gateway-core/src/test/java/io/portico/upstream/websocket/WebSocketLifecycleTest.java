package io.portico.upstream.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.util.ResourceLeakDetector;
import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's own part in a tunnel's life: drain, reload, the listener cap, the 101 check, TLS. */
class WebSocketLifecycleTest {
  static Vertx vertx;
  static EchoWebSocketBackend backend;
  static WebSocketClient client;
  @TempDir
  static Path dir;

  static ResourceLeakDetector.Level leakLevel;

  @BeforeAll
  static void start() {
    // as in WebSocketTunnelTest: paranoid leak detection makes the test client's masking crawl
    leakLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    vertx = Vertx.vertx();
    backend = new EchoWebSocketBackend(vertx);
    client = ClientSocket.client(vertx, new WebSocketClientOptions());
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
    ResourceLeakDetector.setLevel(leakLevel);
  }

  static Gateway gateway(String yaml) {
    return gateway("listen: { host: 127.0.0.1, port: 0, instances: 1 }\n", yaml);
  }

  static Gateway gateway(String listen, String yaml) {
    return Await.result(Gateway.start(vertx, Configs.load(dir, listen
        + "upstreams: [{ name: sockets, endpoints: [127.0.0.1:%d] }]\n".formatted(backend.port()) + yaml)));
  }

  @Test
  void aTunnelOpenAtShutdownGetsGoingAwayAtTheEndOfTheDrain() {
    Gateway gateway = gateway("routes: [{ name: ws, match: { path-prefix: /ws }, upstream: sockets }]\n");
    ClientSocket socket = ClientSocket.open(client, gateway.port(), "/ws/drain");
    socket.socket.writeTextMessage("before");
    assertThat(socket.next().toString()).isEqualTo("before");
    int before = backend.closesReceived.size();

    long start = System.nanoTime();
    var stopped = gateway.shutdown(Duration.ofSeconds(2));
    assertThat(socket.closeReceived(20)).isEqualTo("1001 server shutting down");
    Duration waited = Duration.ofNanos(System.nanoTime() - start);

    assertThat(waited).as("sent at the end of the drain, not at its start").isBetween(Duration.ofMillis(1500), Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(20)).until(() -> backend.closesReceived.size() > before);
    assertThat(backend.closesReceived.get(before)).isEqualTo("1001 server shutting down");
    Await.result(stopped);
  }

  /**
   * The gateway's moment to close comes while the upstream is in the middle of a frame: the gateway
   * lets the frame finish and only then writes its close frame, so the client gets the whole frame
   * and then a clean 1001 (here the route is removed by a reload; a drain on shutdown does the same
   * within its deadline).
   */
  @Test
  void theGoingAwayCloseWaitsForTheFrameInProgress() throws Exception {
    byte[] payload = new byte[1024 * 1024];
    new java.util.Random(7).nextBytes(payload);
    java.util.concurrent.CountDownLatch secondHalf = new java.util.concurrent.CountDownLatch(1);
    try (ServerSocket upstream = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread slow = new Thread(() -> {
        try (Socket socket = upstream.accept()) {
          InputStream in = socket.getInputStream();
          String key = RawHeads.read(in).lines().filter(l -> l.toLowerCase().startsWith("sec-websocket-key:"))
              .findFirst().orElseThrow().split(":", 2)[1].trim();
          OutputStream out = socket.getOutputStream();
          out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Accept: " + Handshake.accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(new byte[] {(byte) 0x82, 127, 0, 0, 0, 0, 0, 0x10, 0, 0}); // binary, FIN, 1 MiB
          out.write(payload, 0, payload.length / 2);
          out.flush();
          secondHalf.await();
          out.write(payload, payload.length / 2, payload.length / 2);
          out.flush();
          while (in.read() >= 0) {
            // until the gateway hangs up
          }
        } catch (Exception ignored) {
          // the gateway closed the connection
        }
      });
      slow.setDaemon(true);
      slow.start();
      String config = """
          listen: { host: 127.0.0.1, port: 0, instances: 1 }
          drain-timeout: 500ms
          upstreams: [{ name: slow, endpoints: [127.0.0.1:%d] }]
          routes: [{ name: %s, match: { path-prefix: /ws }, upstream: slow }]
          """;
      Gateway gateway = Await.result(Gateway.start(vertx, Configs.load(dir, config.formatted(upstream.getLocalPort(), "ws"))));
      ClientSocket socket = ClientSocket.open(client, gateway.port(), "/ws/slow");
      await().atMost(Duration.ofSeconds(20)).until(() -> gateway.meterRegistry().find("portico.websocket.bytes")
          .tags("route", "ws", "direction", "downstream").counter().count() >= payload.length / 2);

      Await.result(gateway.apply(Configs.load(dir, config.formatted(upstream.getLocalPort(), "renamed"))));
      Thread.sleep(1500); // past the moment the gateway wanted to close: the frame is still in progress
      assertThat(socket.closed.future().isComplete()).as("no close in the middle of a frame").isFalse();
      secondHalf.countDown();

      assertThat(socket.closeReceived(20)).isEqualTo("1001 route removed");
      assertThat(Sha256.hex(socket.next().getBytes())).isEqualTo(Sha256.hex(payload));
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    }
  }

  @Test
  void aTunnelOfARouteARemovedByReloadGetsGoingAwayAfterTheDrainTimeout() {
    String kept = "routes: [{ name: other, match: { path-prefix: /other }, upstream: sockets }]\n";
    Gateway gateway = gateway("drain-timeout: 1s\nroutes:\n  - { name: ws, match: { path-prefix: /ws }, upstream: sockets }\n"
        + "  - { name: other, match: { path-prefix: /other }, upstream: sockets }\n");
    ClientSocket removed = ClientSocket.open(client, gateway.port(), "/ws/reload");
    ClientSocket staying = ClientSocket.open(client, gateway.port(), "/other/reload");
    long start = System.nanoTime();

    Await.result(gateway.apply(Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        drain-timeout: 1s
        upstreams: [{ name: sockets, endpoints: [127.0.0.1:%d] }]
        """.formatted(backend.port()) + kept)));

    assertThat(removed.closeReceived(20)).isEqualTo("1001 route removed");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    staying.socket.writeTextMessage("still here");
    assertThat(staying.next().toString()).isEqualTo("still here");
    Await.result(staying.socket.close());
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
  }

  @Test
  void beyondTheListenersCapAnUpgradeIsAnswered503BeforeGoingUpstream() {
    Gateway gateway = gateway("limits: { max-websockets: 1 }\n"
        + "routes: [{ name: ws, match: { path-prefix: /ws }, upstream: sockets }]\n");
    ClientSocket first = ClientSocket.open(client, gateway.port(), "/ws/first");
    int handshakes = backend.handshakes.size();

    Throwable refused = Await.failure(client.connect(gateway.port(), "127.0.0.1", "/ws/second"));

    assertThat(refused).isInstanceOf(UpgradeRejectedException.class);
    assertThat(((UpgradeRejectedException) refused).getStatus()).isEqualTo(503);
    assertThat(backend.handshakes).hasSize(handshakes);
    Await.result(first.socket.close());
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.meterRegistry()
        .find("portico.websocket.open").tags("route", "ws").gauge().value() == 0);
    ClientSocket third = ClientSocket.open(client, gateway.port(), "/ws/third");
    Await.result(third.socket.close());
    assertThat(gateway.meterRegistry().find("portico.websocket.upgrades").tags("route", "ws", "outcome", "over_limit")
        .counter().count()).isEqualTo(1);
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
  }

  /**
   * A one-connection upstream on {@code server} that reads the request head and writes what
   * {@code answer} makes of it in one write, then waits until the gateway hangs up.
   */
  static Thread scriptedUpstream(ServerSocket server, ThrowingFunction<String, byte[]> answer) {
    Thread thread = new Thread(() -> {
      try (Socket socket = server.accept()) {
        InputStream in = socket.getInputStream();
        String head = RawHeads.read(in);
        OutputStream out = socket.getOutputStream();
        out.write(answer.apply(head));
        out.flush();
        in.read(); // until the gateway hangs up
      } catch (Exception ignored) {
        // the gateway closed the connection
      }
    });
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  interface ThrowingFunction<T, R> {
    R apply(T input) throws Exception;
  }

  static Gateway gatewayTo(ServerSocket upstream) {
    return Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams: [{ name: scripted, endpoints: [127.0.0.1:%d] }]
        routes: [{ name: ws, match: { path-prefix: /ws }, upstream: scripted }]
        """.formatted(upstream.getLocalPort()))));
  }

  @Test
  void aSwitchTheClientDidNotAskForIsRefused() throws Exception {
    try (ServerSocket wrong = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread answer = scriptedUpstream(wrong, head -> ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Accept: bm90IHRoZSBhbnN3ZXI=\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      Gateway gateway = gatewayTo(wrong);

      Throwable refused = Await.failure(client.connect(gateway.port(), "127.0.0.1", "/ws/x"));

      assertThat(refused).isInstanceOf(UpgradeRejectedException.class);
      assertThat(((UpgradeRejectedException) refused).getStatus()).isEqualTo(502);
      answer.join(20_000);
      assertThat(answer.isAlive()).as("the gateway closed the upstream connection").isFalse();
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    }
  }

  /** An upstream that greets in the same write as its 101: the greeting reaches the client. */
  @Test
  void aGreetingSentWithTheSwitchReachesTheClient() throws Exception {
    try (ServerSocket greeter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      scriptedUpstream(greeter, head -> {
        String key = head.lines().filter(line -> line.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18))
            .map(line -> line.substring(18).trim()).findFirst().orElseThrow();
        String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
            .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        byte[] switched = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] greeting = {(byte) 0x81, 7, 'w', 'e', 'l', 'c', 'o', 'm', 'e'};
        byte[] both = Arrays.copyOf(switched, switched.length + greeting.length);
        System.arraycopy(greeting, 0, both, switched.length, greeting.length);
        return both;
      });
      Gateway gateway = gatewayTo(greeter);

      ClientSocket socket = ClientSocket.open(client, gateway.port(), "/ws/hello");

      assertThat(socket.next().toString()).isEqualTo("welcome");
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    }
  }

  @Test
  void largeFramesPassATunnelOverTls() {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    Gateway gateway = gateway("listen: { host: 127.0.0.1, port: 0, instances: 1, tls: { cert: %s, key: %s } }\n"
        .formatted(certificate.certificatePath(), certificate.privateKeyPath()),
        "routes: [{ name: ws, match: { path-prefix: /ws }, upstream: sockets }]\n");
    WebSocketClient tlsClient = ClientSocket.client(vertx, new WebSocketClientOptions().setSsl(true).setTrustAll(true)
        .setVerifyHost(false));
    ClientSocket socket = Await.result(ClientSocket.connect(tlsClient, new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(gateway.port()).setURI("/ws/tls").setSsl(true)));
    Buffer sent = WebSocketTunnelTest.random(1024 * 1024 + 1);

    socket.socket.writeFrame(WebSocketFrame.binaryFrame(sent, true));

    assertThat(Sha256.hex(socket.next().getBytes())).isEqualTo(Sha256.hex(sent.getBytes()));
    Await.result(socket.socket.close((short) 4001, "done"));
    await().atMost(Duration.ofSeconds(20)).until(() -> backend.closesReceived.contains("4001 done"));
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    certificate.delete();
  }
}
