package io.portico.upstream;

import io.netty.handler.codec.http.HttpRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * Streams the client's request body to the upstream with back-pressure: reading from the client
 * pauses while the upstream connection cannot take more. Counts the bytes and stops at the route's
 * body limit. The chunk that completes a body of declared length leaves together with the end.
 */
public final class StreamedBody implements RequestBody {
  private final HttpServerRequest source;
  private final long declaredLength;
  private final long limit;
  private final boolean expectsContinue;
  private final Runnable onTooLarge;
  private UpstreamConnection target;
  private long received;
  private Buffer last;
  private boolean stopped;

  /**
   * @param declaredLength the client's {@code Content-Length}, or -1 to send chunked
   * @param limit the body limit in bytes, or -1 for none
   * @param expectsContinue whether the client waits for {@code 100 Continue} before sending
   * @param onTooLarge called (on the loop) when the body grows past {@code limit}
   */
  public StreamedBody(HttpServerRequest source, long declaredLength, long limit, boolean expectsContinue, Runnable onTooLarge) {
    this.source = source;
    this.declaredLength = declaredLength;
    this.limit = limit;
    this.expectsContinue = expectsContinue;
    this.onTooLarge = onTooLarge;
  }

  @Override
  public void send(UpstreamConnection connection, HttpRequest head) {
    target = connection;
    if (declaredLength >= 0) {
      head.headers().set("content-length", declaredLength);
    } else {
      head.headers().set("transfer-encoding", "chunked");
    }
    connection.writeHead(head);
    source.handler(this::chunk);
    source.endHandler(v -> {
      if (!stopped) {
        stopped = true; // all of the body is in: nothing left to stop
        Buffer tail = last;
        last = null;
        target.writeLast(tail == null ? null : ((BufferInternal) tail).getByteBuf());
      }
    });
    source.exceptionHandler(t -> stop(true));
    if (expectsContinue) {
      source.response().writeContinue();
    }
    if (!source.isEnded()) {
      source.resume();
    }
  }

  private void chunk(Buffer chunk) {
    if (stopped) {
      return;
    }
    received += chunk.length();
    if (limit >= 0 && received > limit) {
      onTooLarge.run(); // first: the exchange must know why the upstream request is about to be reset
      stop(true);
      return;
    }
    if (received == declaredLength) {
      last = chunk; // the end follows in the same read: body and end leave in one write
      return;
    }
    target.writeContent(((BufferInternal) chunk).getByteBuf());
    if (!target.isWritable() && !source.isEnded()) {
      source.pause();
    }
  }

  @Override
  public boolean replayable() {
    return target == null; // untouched until handed to a connection; the client's bytes are gone once written
  }

  @Override
  public void writable() {
    if (!stopped && !source.isEnded()) {
      source.resume();
    }
  }

  /** Bytes received from the client so far. */
  public long received() {
    return received;
  }

  /** Stops relaying; with {@code reset} the upstream connection is closed too. */
  public void stop(boolean reset) {
    if (!stopped) {
      stopped = true;
      if (!source.isEnded()) {
        source.pause();
      }
      if (reset && target != null) {
        target.abort();
      }
    }
  }
}
