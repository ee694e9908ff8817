package io.portico.upstream;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Streams an upstream answer's body to the client with back-pressure: reading from the upstream
 * pauses while the client connection cannot take more. Counts the bytes sent.
 *
 * <p>The chunk that completes a body of known length is held back and written with the end of the
 * answer: the decoder hands both over in the same read, and the head, the body and its end then
 * leave in one write instead of two (a syscall saved on every small answer).
 */
public final class ResponseRelay {
  private final HttpClientResponse source;
  private final HttpServerResponse target;
  private final long length;
  private long sent;
  private Buffer last;
  private boolean stopped;
  private boolean ended;

  /** @param length the body's declared length, or -1 when unknown */
  public ResponseRelay(HttpClientResponse source, HttpServerResponse target, long length) {
    this.source = source;
    this.target = target;
    this.length = length;
  }

  /**
   * Starts relaying; the head of {@code target} must be complete.
   *
   * @param onEnd called once the whole body was written
   * @param onError called when the upstream broke off mid-body
   */
  public void start(Handler<Void> onEnd, Handler<Throwable> onError) {
    target.drainHandler(v -> {
      if (!stopped) {
        source.resume();
      }
    });
    source.handler(this::chunk);
    source.exceptionHandler(t -> {
      if (!stopped) {
        stopped = true;
        onError.handle(t);
      }
    });
    source.endHandler(v -> {
      if (!stopped) {
        stopped = true; // the whole body is in: nothing left to abort
        ended = true;
        Buffer tail = last;
        last = null;
        (tail == null ? target.end() : target.end(tail)).onComplete(ar -> onEnd.handle(null));
      }
    });
    source.resume();
  }

  private void chunk(Buffer chunk) {
    if (stopped) {
      return;
    }
    sent += chunk.length();
    if (sent == length) {
      last = chunk; // the end follows in the same read
      return;
    }
    target.write(chunk);
    if (target.writeQueueFull()) {
      source.pause();
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

  /** Stops relaying and resets the upstream request (the client went away). */
  public void abort() {
    if (!stopped) {
      stopped = true;
      source.exceptionHandler(ignored -> { });
      source.request().reset();
    }
  }
}
