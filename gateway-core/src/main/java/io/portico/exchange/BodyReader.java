package io.portico.exchange;

import io.portico.spi.BodyTooLargeException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body whole, once, for a plugin that asked ({@code exchange.body(limit)}). The
 * buffered body is then what the upstream receives. Past the limit the read fails with
 * {@link BodyTooLargeException} and the rest of the body is left unread.
 */
final class BodyReader {
  private final ProxyExchange exchange;
  private final long limit;
  private Future<Buffer> result;
  private Buffer body;

  BodyReader(ProxyExchange exchange, long limit) {
    this.exchange = exchange;
    this.limit = limit;
  }

  public Future<Buffer> read() {
    if (result == null) {
      result = start();
    }
    return result;
  }

  /** The body once read completely, else {@code null}. */
  Buffer body() {
    return result != null && result.succeeded() ? body : null;
  }

  /** Whether a read was started (then the body does not stream). */
  public boolean started() {
    return result != null;
  }

  private Future<Buffer> start() {
    HttpServerRequest request = exchange.request;
    long declared = exchange.declaredLength;
    if (declared > limit) {
      return Future.failedFuture(new BodyTooLargeException(limit));
    }
    if (!exchange.hasBody) {
      body = Buffer.buffer(0);
      return Future.succeededFuture(body);
    }
    Promise<Buffer> promise = Promise.promise();
    body = Buffer.buffer(declared > 0 ? (int) Math.min(declared, 1 << 20) : 1024);
    request.handler(chunk -> {
      if (body.length() + (long) chunk.length() > limit) {
        if (!request.isEnded()) {
          request.pause();
        }
        request.handler(null);
        promise.tryFail(new BodyTooLargeException(limit));
      } else {
        body.appendBuffer(chunk);
        exchange.trace.received(chunk.length());
      }
    });
    request.endHandler(v -> promise.tryComplete(body));
    request.exceptionHandler(promise::tryFail);
    if (RequestFraming.expectsContinue(request)) {
      request.response().writeContinue();
    }
    if (!request.isEnded()) {
      request.resume();
    }
    return promise.future();
  }
}
