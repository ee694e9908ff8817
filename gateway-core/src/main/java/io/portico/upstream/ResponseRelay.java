package io.portico.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.Map;

/**
 * Writes an upstream answer's body to the client with back-pressure: the upstream connection stops
 * reading while the client connection cannot take more. Counts the bytes sent. The decoder hands
 * the last bytes of a body of known length over together with its end, so small answers leave in a
 * single write with their head. Trailers the upstream sends after the body go to the client too.
 */
public final class ResponseRelay implements ResponseSink {
  private final HttpServerResponse target;
  private final Handler<Void> onEnd;
  private final Handler<Throwable> onError;
  private ProxiedResponse source;
  private long sent;
  private boolean paused;
  private boolean ended;
  private boolean stopped;

  /**
   * @param onEnd called once the whole body was written
   * @param onError called when the upstream broke off mid-body
   */
  public ResponseRelay(HttpServerResponse target, Handler<Void> onEnd, Handler<Throwable> onError) {
    this.target = target;
    this.onEnd = onEnd;
    this.onError = onError;
  }

  /** Starts relaying {@code response}; the head of the client response must be complete. */
  public void start(ProxiedResponse response) {
    start(response, null);
  }

  /**
   * Like {@link #start(ProxiedResponse)}, the body passing on its way through the sink that
   * {@code translation} puts in front of this relay (e.g. to gRPC-Web); {@code null} for none.
   */
  public void start(ProxiedResponse response, java.util.function.UnaryOperator<ResponseSink> translation) {
    this.source = response;
    target.drainHandler(v -> {
      if (paused && !stopped) {
        paused = false;
        source.resumeReading();
      }
    });
    response.relayTo(translation == null ? this : translation.apply(this));
  }

  @Override
  public void content(HttpContent content) {
    Buffer chunk = copy(content);
    if (stopped || chunk == null) {
      return;
    }
    sent += chunk.length();
    target.write(chunk);
    if (target.writeQueueFull() && !paused) {
      paused = true;
      source.pauseReading();
    }
  }

  @Override
  public void end(LastHttpContent last) {
    if (stopped) {
      last.release();
      return;
    }
    stopped = true;
    if (!last.trailingHeaders().isEmpty() && !trailers(last.trailingHeaders())) {
      last.release();
      return;
    }
    ended = true;
    ByteBuf bytes = last.content();
    if (!bytes.isReadable()) {
      last.release();
      target.end().onComplete(ar -> onEnd.handle(null));
      return;
    }
    // the last bytes go out without a copy: Vert.x writes them as an unreleasable view, and they
    // are released once the write completed
    sent += bytes.readableBytes();
    target.end(BufferInternal.buffer(bytes)).onComplete(ar -> {
      last.release();
      onEnd.handle(null);
    });
  }

  /**
   * Hands the upstream's trailers (gRPC's {@code grpc-status}, {@code grpc-message} and custom ones)
   * to the client: HTTP/2 clients get a trailing HEADERS frame, chunked HTTP/1.1 ones a trailer
   * section. Like heads, trailers that could split the client's framing are never relayed: the
   * exchange is cut instead.
   *
   * @return whether they were relayed (else the relay failed)
   */
  private boolean trailers(HttpHeaders trailers) {
    String unsafe = FieldSyntax.firstUnsafe(trailers);
    if (unsafe != null) {
      onError.handle(new IllegalStateException("the upstream sent an unsafe trailer field: " + unsafe));
      return false;
    }
    MultiMap relayed = target.trailers();
    for (Map.Entry<String, String> trailer : trailers) {
      relayed.add(trailer.getKey(), trailer.getValue());
    }
    return true;
  }

  @Override
  public void failed(Throwable cause) {
    if (!stopped) {
      stopped = true;
      onError.handle(cause);
    }
  }

  /** Body bytes passed to the client so far. */
  public long sent() {
    return sent;
  }

  /** Whether the upstream body ended and its end was handed to the client response. */
  public boolean ended() {
    return ended;
  }

  /** Stops relaying and closes the upstream connection (the client went away). */
  public void abort() {
    if (!stopped) {
      stopped = true;
      source.discard();
    }
  }

  /**
   * The bytes of {@code content} in a heap buffer Vert.x may keep (pooled bytes are copied and
   * released, as Vert.x's own client does); {@code null} when there are none.
   */
  private static Buffer copy(HttpContent content) {
    ByteBuf bytes = content.content();
    if (!bytes.isReadable()) {
      content.release();
      return null;
    }
    return BufferInternal.safeBuffer(bytes);
  }
}
