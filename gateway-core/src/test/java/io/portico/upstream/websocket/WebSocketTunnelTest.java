package io.portico.upstream.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.ResourceLeakDetector;
import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.plugins.TraceLog;
import io.portico.spi.ExchangeLog;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSocket through the gateway, with a real WebSocket server and client on loopback whose limits
 * are far above what the tests send: whatever the two ends agree on passes the tunnel unchanged.
 */
class WebSocketTunnelTest {
  static Vertx vertx;
  static EchoWebSocketBackend backend;
  static Gateway gateway;
  static WebSocketClient client;
  static StalledSink sink;
  @TempDir
  static Path dir;

  static String upstreams() {
    return """
        upstreams:
          - { name: sockets, endpoints: [127.0.0.1:%d] }
          - { name: sink, endpoints: [127.0.0.1:%d] }
        """.formatted(backend.port(), sink.port());
  }

  static ResourceLeakDetector.Level leakLevel;

  @BeforeAll
  static void start() throws Exception {
    // paranoid leak detection records a stack trace on every 8 bytes a Netty WebSocket client masks:
    // 2 million traces for one 16 MiB frame of the test's client. The gateway masks nothing.
    leakLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    vertx = Vertx.vertx();
    backend = new EchoWebSocketBackend(vertx);
    sink = new StalledSink();
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 2 }
        routes:
          - { name: ws, match: { path-prefix: /ws }, upstream: sockets }
          - { name: idle, match: { path-prefix: /idle }, upstream: sockets, websocket: { idle-timeout: 400ms } }
          - { name: off, match: { path-prefix: /off }, upstream: sockets, websocket: { enabled: false } }
          - { name: sink, match: { path-prefix: /sink }, upstream: sink }
          - { name: traced, match: { path-prefix: /traced }, upstream: sockets, plugins: { trace-ingress: {} } }
        """ + upstreams())));
    client = ClientSocket.client(vertx, new WebSocketClientOptions());
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
    ResourceLeakDetector.setLevel(leakLevel);
  }

  static Buffer random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return Buffer.buffer(bytes);
  }

  @Test
  void framesOfAnySizeEchoUnchanged() {
    ClientSocket socket = ClientSocket.open(client, gateway.port(), "/ws/large");
    for (int size : new int[] {65_536, 65_537, 1024 * 1024, 16 * 1024 * 1024}) {
      Buffer sent = random(size);
      socket.socket.writeFrame(WebSocketFrame.binaryFrame(sent, true));
      Buffer echoed = socket.next();
      assertThat(echoed.length()).as("frame of %d bytes", size).isEqualTo(size);
      assertThat(Sha256.hex(echoed.getBytes())).as("frame of %d bytes", size).isEqualTo(Sha256.hex(sent.getBytes()));
    }
    socket.socket.writeTextMessage("text stays text");
    assertThat(socket.next().toString()).isEqualTo("text stays text");
    Await.result(socket.socket.close());
  }

  /**
   * 64 MiB in 1 MiB fragments to a server that does not read at first: the gateway stops reading
   * from the client once the upstream's buffers are full, so it holds only a few MiB of the message
   * at any time; when the server reads, the whole message arrives intact.
   */
  @Test
  void aLargeFragmentedMessagePassesWithBackPressure() throws Exception {
    ClientSocket socket = ClientSocket.open(client, gateway.port(), "/sink/upload");
    int fragment = 1024 * 1024;
    int fragments = 64;
    var digest = Sha256.digest();
    Promise<Void> allWritten = Promise.promise();
    FragmentWriter writer = new FragmentWriter(socket, fragment, fragments, digest, allWritten);
    socket.context.runOnContext(v -> writer.writeSome());
    double relayedWhileStalled = awaitRelayedSettles("sink");
    assertThat(allWritten.future().isComplete()).as("the client was held back").isFalse();
    // what the gateway took is what the TCP buffers on its upstream side hold: a few MiB at most
    assertThat(relayedWhileStalled).as("bytes the gateway took while the server did not read")
        .isLessThan(16 * 1024 * 1024);

    sink.resume();
    String received = sink.digest.get(120, java.util.concurrent.TimeUnit.SECONDS);
    Await.result(allWritten.future(), 120);
    assertThat(sink.payloadBytes).isEqualTo((long) fragment * fragments);
    assertThat(received).isEqualTo(java.util.HexFormat.of().formatHex(digest.digest()));
    assertThat(bytes("sink", "upstream")).isGreaterThan((double) fragment * fragments);
  }

  /** Waits until the bytes relayed toward the upstream stop growing; returns them. */
  private static double awaitRelayedSettles(String route) {
    double[] last = {-1};
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
      double now = bytes(route, "upstream");
      boolean settled = now > 0 && now == last[0];
      last[0] = now;
      return settled;
    });
    return last[0];
  }

  /** Writes fragments while the socket takes them, and again when it drains; runs on the loop. */
  private static final class FragmentWriter {
    private final ClientSocket socket;
    private final int fragment;
    private final int fragments;
    private final java.security.MessageDigest digest;
    private final Promise<Void> done;
    private int written;

    FragmentWriter(ClientSocket socket, int fragment, int fragments, java.security.MessageDigest digest, Promise<Void> done) {
      this.socket = socket;
      this.fragment = fragment;
      this.fragments = fragments;
      this.digest = digest;
      this.done = done;
    }

    void writeSome() {
      while (written < fragments && !socket.socket.writeQueueFull()) {
        byte[] bytes = new byte[fragment];
        ThreadLocalRandom.current().nextBytes(bytes);
        digest.update(bytes);
        boolean last = ++written == fragments;
        Buffer data = Buffer.buffer(bytes);
        socket.socket.writeFrame(written == 1
            ? WebSocketFrame.binaryFrame(data, last)
            : WebSocketFrame.continuationFrame(data, last));
      }
      if (written == fragments) {
        done.tryComplete();
      } else {
        socket.socket.drainHandler(v -> writeSome());
      }
    }
  }

  @Test
  void subprotocolAndPerMessageDeflateAreNegotiatedEndToEnd() {
    WebSocketClient deflating = ClientSocket.client(vertx, new WebSocketClientOptions().setTryUsePerMessageCompression(true));
    ClientSocket socket = Await.result(ClientSocket.connect(deflating, new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(gateway.port()).setURI("/ws/chat").setSubProtocols(List.of("chat.v3", "chat.v2"))));

    assertThat(socket.socket.subProtocol()).isEqualTo("chat.v2");
    assertThat(socket.socket.headers().get("sec-websocket-extensions")).startsWith("permessage-deflate");
    assertThat(backend.handshakes).contains("/ws/chat chat.v3,chat.v2");
    String text = "compressible ".repeat(10_000);
    socket.socket.writeTextMessage(text);
    assertThat(socket.next().toString()).isEqualTo(text);
    assertThat(bytes("ws", "upstream")).as("compressed on the wire").isLessThan(text.length());
    Await.result(socket.socket.close());
  }

  @Test
  void closeCodesAndReasonsTravelBothWays() {
    for (short code : new short[] {1000, 1001, 1011, 4001}) {
      ClientSocket fromServer = ClientSocket.open(client, gateway.port(), "/ws/close");
      fromServer.socket.writeTextMessage("close:" + code + ":server says " + code);
      assertThat(fromServer.closeReceived(20)).isEqualTo(code + " server says " + code);

      ClientSocket fromClient = ClientSocket.open(client, gateway.port(), "/ws/close");
      int before = backend.closesReceived.size();
      Await.result(fromClient.socket.close(code, "client says " + code));
      await().atMost(Duration.ofSeconds(20)).until(() -> backend.closesReceived.size() > before);
      assertThat(backend.closesReceived.get(before)).isEqualTo(code + " client says " + code);
    }
  }

  @Test
  void manyConcurrentTunnelsEchoWithoutLoss() {
    int tunnels = 200;
    int messages = 50;
    List<Future<Integer>> all = new ArrayList<>();
    for (int t = 0; t < tunnels; t++) {
      int id = t;
      all.add(ClientSocket.connect(client, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port())
          .setURI("/ws/many")).compose(socket -> {
            Promise<Integer> echoed = Promise.promise();
            int[] count = {0};
            socket.socket.textMessageHandler(null);
            socket.socket.frameHandler(frame -> {
              if (frame.isText() && frame.textData().equals(id + ":" + count[0])) {
                if (++count[0] == messages) {
                  echoed.tryComplete(count[0]);
                }
              } else if (frame.isText()) {
                echoed.tryFail("tunnel " + id + " got " + frame.textData() + " for message " + count[0]);
              }
            });
            for (int m = 0; m < messages; m++) {
              socket.socket.writeTextMessage(id + ":" + m);
            }
            return echoed.future().eventually(() -> socket.socket.close());
          }));
    }
    List<Integer> counts = Await.result(Future.all(all).map(f -> f.<Integer>list()), 120);
    assertThat(counts).hasSize(tunnels).allMatch(count -> count == messages);
    await().atMost(Duration.ofSeconds(20)).until(() -> open("ws") == 0);
  }

  @Test
  void anIdleTunnelIsClosedWithGoingAwayAtItsIdleTimeout() {
    ClientSocket socket = ClientSocket.open(client, gateway.port(), "/idle/quiet");
    long start = System.nanoTime();
    int before = backend.closesReceived.size();

    assertThat(socket.closeReceived(20)).isEqualTo("1001 idle timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(350));
    await().atMost(Duration.ofSeconds(20)).until(() -> backend.closesReceived.size() > before);
    assertThat(backend.closesReceived.subList(before, backend.closesReceived.size())).contains("1001 idle timeout");
  }

  @Test
  void anUpstreamsRefusalReachesTheClientAsItWas() {
    double refusedBefore = upgrades("ws", "refused");

    Throwable refused = Await.failure(client.connect(gateway.port(), "127.0.0.1", "/ws/refuse"));

    assertThat(refused).isInstanceOf(UpgradeRejectedException.class);
    assertThat(((UpgradeRejectedException) refused).getStatus()).isEqualTo(409);
    assertThat(upgrades("ws", "refused")).isEqualTo(refusedBefore + 1);
  }

  @Test
  void aRouteCanRefuseWebSocket() {
    Throwable refused = Await.failure(client.connect(gateway.port(), "127.0.0.1", "/off/x"));
    assertThat(refused).isInstanceOf(UpgradeRejectedException.class);
    assertThat(((UpgradeRejectedException) refused).getStatus()).isEqualTo(403);
  }

  @Test
  void metricsCountUpgradesOpenTunnelsAndBytes() {
    double opened = upgrades("ws", "opened");
    ClientSocket socket = ClientSocket.open(client, gateway.port(), "/ws/metrics");
    socket.socket.writeTextMessage("counted");
    assertThat(socket.next().toString()).isEqualTo("counted");

    assertThat(upgrades("ws", "opened")).isEqualTo(opened + 1);
    assertThat(open("ws")).isGreaterThanOrEqualTo(1);
    assertThat(bytes("ws", "upstream")).isGreaterThan(0);
    assertThat(bytes("ws", "downstream")).isGreaterThan(0);
    Await.result(socket.socket.close());
  }

  /**
   * A client that sends its first message in the same write as its upgrade request: the gateway
   * holds the message until its 101 is out, then relays it, and the echo reaches the client
   * without the client sending anything more (it once waited for the client's next bytes).
   */
  @Test
  void aMessageSentWithTheUpgradeRequestIsEchoedWithoutWaitingForMore() throws Exception {
    byte[] upgrade = ("GET /ws/early HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] hello = {(byte) 0x81, (byte) 0x85, 1, 2, 3, 4, 'h' ^ 1, 'e' ^ 2, 'l' ^ 3, 'l' ^ 4, 'o' ^ 1}; // masked "hello"
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000);
      byte[] both = Arrays.copyOf(upgrade, upgrade.length + hello.length);
      System.arraycopy(hello, 0, both, upgrade.length, hello.length);
      socket.getOutputStream().write(both);
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        assertThat(b).as("end of the answer's head").isNotNegative();
        head.append((char) b);
      }
      assertThat(head.toString()).startsWith("HTTP/1.1 101");

      assertThat(in.readNBytes(7)).as("the echo, unmasked").containsExactly(0x81, 5, 'h', 'e', 'l', 'l', 'o');
    }
  }

  @Test
  void onCompleteSeesTheTunnelOnceItClosed() {
    ClientSocket socket = Await.result(ClientSocket.connect(client, new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(gateway.port()).setURI("/traced/log").addHeader("X-Request-Id", "ws-log-1")));
    socket.socket.writeTextMessage("logged");
    assertThat(socket.next().toString()).isEqualTo("logged");
    assertThat(TraceLog.completed("ws-log-1")).as("not complete while the tunnel is open").isNull();

    Await.result(socket.socket.close((short) 4001, "bye"));

    await().atMost(Duration.ofSeconds(20)).until(() -> TraceLog.completed("ws-log-1") != null);
    ExchangeLog log = TraceLog.completed("ws-log-1");
    assertThat(log.status()).isEqualTo(101);
    assertThat(log.routeName()).isEqualTo("traced");
    assertThat(log.bytesReceived()).as("frames from the client, close included").isGreaterThan("logged".length());
    assertThat(log.bytesSent()).isGreaterThan("logged".length());
  }

  static MeterRegistry registry() {
    return gateway.meterRegistry();
  }

  static double bytes(String route, String direction) {
    var counter = registry().find("portico.websocket.bytes").tags("route", route, "direction", direction).counter();
    return counter == null ? 0 : counter.count();
  }

  static double upgrades(String route, String outcome) {
    var counter = registry().find("portico.websocket.upgrades").tags("route", route, "outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  static double open(String route) {
    var gauge = registry().find("portico.websocket.open").tags("route", route).gauge();
    return gauge == null ? 0 : gauge.value();
  }
}
