package io.portico.upstream;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Streams an upstream answer's body to the client with back-pressure: reading from the upstream
 * pauses while the client connection cannot take more. Counts the bytes sent.
 */
public final class ResponseRelay {
  private final HttpClientResponse source;
  private final HttpServerResponse target;
  private long sent;
  private boolean stopped;
  private boolean ended;

  public ResponseRelay(HttpClientResponse source, HttpServerResponse target) {
    this.source = source;
    this.target = target;
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
        stopped = true; // the upstream answer is complete: nothing left to abort
        ended = true;
        target.end().onComplete(ar -> onEnd.handle(null));
      }
    });
    source.resume();
  }

  private void chunk(Buffer chunk) {
    if (stopped) {
      return;
    }
    sent += chunk.length();
    target.write(chunk);
    if (target.writeQueueFull()) {
      source.pause();
    }
  }

  /**
   * Whether the whole upstream body arrived and the client answer is being ended. Over HTTP/2 the
   * client stream may report closing before that end completes: that is not the client leaving.
   */
  public boolean ended() {
    return ended;
  }

  /** Body bytes passed to the client so far. */
  public long sent() {
    return sent;
  }

  /** Stops relaying and resets the upstream request (the client went away). */
  public void abort() {
    if (!stopped) {
      stopped = true; // the exception handler set in start() ignores what the reset causes
      source.request().reset(); // a no-op once the upstream exchange completed
    }
  }
}
