package io.portico.upstream.websocket;

import io.portico.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client connection for the tests: whole messages (reassembled from their fragments)
 * arrive in a queue, and the close the server sent is kept.
 */
final class ClientSocket {
  static final int LARGE = 32 * 1024 * 1024;

  final WebSocket socket;
  /** The context of the connection: writes made on it see {@code writeQueueFull} at once. */
  final io.vertx.core.Context context;
  private final LinkedBlockingQueue<Buffer> messages = new LinkedBlockingQueue<>();
  final Promise<String> closed = Promise.promise();
  private Buffer partial;

  private ClientSocket(WebSocket socket) {
    this.socket = socket;
    this.context = Vertx.currentContext();
    socket.frameHandler(frame -> {
      if (frame.isText() || frame.isBinary() || frame.isContinuation()) {
        partial = partial == null ? frame.binaryData().copy() : partial.appendBuffer(frame.binaryData());
        if (frame.isFinal()) {
          messages.add(partial);
          partial = null;
        }
      }
    });
    socket.closeHandler(v -> closed.tryComplete(socket.closeStatusCode() + " " + socket.closeReason()));
  }

  static WebSocketClient client(Vertx vertx, WebSocketClientOptions options) {
    return vertx.createWebSocketClient(options.setMaxFrameSize(LARGE).setMaxMessageSize(4 * LARGE));
  }

  static Future<ClientSocket> connect(WebSocketClient client, WebSocketConnectOptions options) {
    return client.connect(options).map(ClientSocket::new);
  }

  static ClientSocket open(WebSocketClient client, int port, String path) {
    return Await.result(connect(client, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path)));
  }

  /** The next whole message, waiting up to 30 s. */
  Buffer next() {
    try {
      Buffer message = messages.poll(30, TimeUnit.SECONDS);
      if (message == null) {
        throw new AssertionError("no message within 30 s");
      }
      return message;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** "CODE REASON" of the server's close, waiting up to {@code seconds}. */
  String closeReceived(int seconds) {
    return Await.result(closed.future(), seconds);
  }
}
