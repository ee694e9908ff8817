package io.portico.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that misbehaves on purpose, on {@code 127.0.0.1} and a free port, for resilience tests
 * (a plugin that retries, a breaker, a fallback). It speaks HTTP/1.1 by hand on a TCP server, so it
 * can fail in ways a well-behaved HTTP server cannot:
 *
 * <ul>
 *   <li>{@link #resetMidAnswer()}: sends the head and part of the body, then resets the connection;
 *   <li>{@link #slowHead(Duration)}: reads the request, waits, then answers 200;
 *   <li>{@link #trickledBody(int, Duration)}: sends the head at once, then the body a byte at a time;
 *   <li>{@link #neverReads()}: accepts the connection and never reads the request or answers.
 * </ul>
 *
 * <pre>{@code
 * try (FaultyBackend backend = FaultyBackend.slowHead(Duration.ofSeconds(5));
 *      TestGateway gateway = TestGateway.start("""
 *          upstreams: [{ name: b, endpoints: [%s] }]
 *          routes: [{ name: r, upstream: b, timeout: 1s, plugins: { my-fallback: {} } }]
 *          """.formatted(backend.address()))) {
 *   assertThat(gateway.get("/").status()).isEqualTo(200); // the fallback answered in time
 * }
 * }</pre>
 */
public final class FaultyBackend implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final NetServer server;
  private final AtomicInteger connections = new AtomicInteger();

  private interface Behaviour {
    void handle(Vertx vertx, NetSocket socket);
  }

  private FaultyBackend(Behaviour behaviour) {
    // linger 0: closing a socket sends a reset, not an orderly end
    server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setSoLinger(0));
    server.connectHandler(socket -> {
      connections.incrementAndGet();
      behaviour.handle(vertx, socket);
    });
    Blocking.await(server.listen());
  }

  /** Answers the head and 5 of 100 announced body bytes, then resets the connection. */
  public static FaultyBackend resetMidAnswer() {
    return new FaultyBackend((vertx, socket) -> onRequestHead(socket, () -> {
      socket.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\ncontent-type: text/plain\r\n\r\nparti");
      vertx.setTimer(50, t -> socket.close());
    }));
  }

  /** Reads the request head, waits {@code delay}, then answers 200 {@code slow}. */
  public static FaultyBackend slowHead(Duration delay) {
    return new FaultyBackend((vertx, socket) -> onRequestHead(socket,
        () -> vertx.setTimer(Math.max(1, delay.toMillis()), t -> socket.write(answer("slow")))));
  }

  /** Answers 200 with a body of {@code bytes} bytes ({@code x}), one every {@code interval}. */
  public static FaultyBackend trickledBody(int bytes, Duration interval) {
    return new FaultyBackend((vertx, socket) -> onRequestHead(socket, () -> {
      socket.write("HTTP/1.1 200 OK\r\ncontent-length: " + bytes + "\r\ncontent-type: text/plain\r\n\r\n");
      AtomicInteger left = new AtomicInteger(bytes);
      if (bytes > 0) {
        vertx.setPeriodic(Math.max(1, interval.toMillis()), id -> {
          socket.write("x");
          if (left.decrementAndGet() == 0) {
            vertx.cancelTimer(id);
          }
        });
      }
    }));
  }

  /** Accepts connections and never reads from them nor answers. */
  public static FaultyBackend neverReads() {
    return new FaultyBackend((vertx, socket) -> socket.pause());
  }

  private static void onRequestHead(NetSocket socket, Runnable then) {
    Buffer seen = Buffer.buffer();
    boolean[] answered = {false};
    socket.handler(data -> {
      if (answered[0]) {
        return; // the request body, if any, is read and dropped
      }
      seen.appendBuffer(data);
      if (seen.toString().contains("\r\n\r\n")) {
        answered[0] = true;
        then.run();
      }
    });
  }

  private static String answer(String body) {
    return "HTTP/1.1 200 OK\r\ncontent-length: " + body.length() + "\r\ncontent-type: text/plain\r\n\r\n" + body;
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code 127.0.0.1:PORT}, as an upstream endpoint. */
  public String address() {
    return "127.0.0.1:" + port();
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  @Override
  public void close() {
    Blocking.await(server.close());
    Blocking.await(vertx.close());
  }
}
