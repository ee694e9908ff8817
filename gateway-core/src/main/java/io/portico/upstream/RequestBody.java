package io.portico.upstream;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/** How the request body goes upstream: nothing, a buffered body, or a stream from the client. */
public interface RequestBody {

  /** No body: the request is its head. */
  RequestBody NONE = (connection, head) -> connection.writeFull(head, Unpooled.EMPTY_BUFFER);

  /** Writes the request (head and body) on {@code connection}; the connection ends it. */
  void send(UpstreamConnection connection, HttpRequest head);

  /** The connection can take more body again (after it said it could not). */
  default void writable() {}

  /**
   * Whether the body can be sent again on another connection (nothing of it was consumed): true
   * for no body and for a buffered one.
   */
  default boolean replayable() {
    return true;
  }

  /** A body read whole by a plugin, sent with its length in one write. */
  static RequestBody buffered(Buffer body) {
    return (connection, head) -> {
      head.headers().set("content-length", body.length());
      connection.writeFull(head, ((BufferInternal) body).getByteBuf());
    };
  }
}
