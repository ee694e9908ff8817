package io.portico.upstream.websocket;

import io.portico.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A WebSocket server on a free loopback port, with limits far above what the tests send. On most
 * paths it echoes every frame as it came (fragments stay fragments); a text message
 * {@code close:CODE:REASON} makes it close with that code and reason. An upgrade to a path ending
 * in {@code /refuse} is answered 409.
 */
final class EchoWebSocketBackend {
  final HttpServer server;
  /** "CODE REASON" of every close the backend received, in order. */
  final List<String> closesReceived = new CopyOnWriteArrayList<>();
  /** The paths of the connections the backend accepted, with their offered subprotocol header. */
  final List<String> handshakes = new CopyOnWriteArrayList<>();

  EchoWebSocketBackend(Vertx vertx) {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
            .setMaxWebSocketFrameSize(32 * 1024 * 1024)
            .setMaxWebSocketMessageSize(128 * 1024 * 1024)
            .setWebSocketSubProtocols(List.of("chat.v2"))
            .setPerMessageWebSocketCompressionSupported(true))
        .webSocketHandshakeHandler(handshake -> {
          if (handshake.path().endsWith("/refuse")) {
            handshake.reject(409);
          } else {
            handshake.accept();
          }
        })
        .webSocketHandler(this::accept);
    Await.result(server.listen());
  }

  int port() {
    return server.actualPort();
  }

  private void accept(ServerWebSocket socket) {
    handshakes.add(socket.path() + " " + socket.headers().get("sec-websocket-protocol"));
    socket.closeHandler(v -> closesReceived.add(socket.closeStatusCode() + " " + socket.closeReason()));
    socket.frameHandler(frame -> {
      if (frame.isText() && frame.isFinal() && frame.textData().startsWith("close:")) {
        String[] parts = frame.textData().split(":", 3);
        socket.close(Short.parseShort(parts[1]), parts[2]);
        return;
      }
      WebSocketFrame echo;
      if (frame.isText()) {
        echo = WebSocketFrame.textFrame(frame.textData(), frame.isFinal());
      } else if (frame.isBinary()) {
        echo = WebSocketFrame.binaryFrame(frame.binaryData().copy(), frame.isFinal());
      } else if (frame.isContinuation()) {
        echo = WebSocketFrame.continuationFrame(frame.binaryData().copy(), frame.isFinal());
      } else {
        return;
      }
      socket.writeFrame(echo);
      if (socket.writeQueueFull()) {
        socket.pause();
        socket.drainHandler(d -> socket.resume());
      }
    });
  }
}
