package io.portico.upstream.grpcweb;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;

/**
 * A {@code application/grpc-web-text} request as the gateway reads it: its body is decoded from
 * base64 as it streams in (never buffered whole), so everything that reads the body (plugins, the
 * upstream call) sees the binary gRPC frames. Its length is unknown until the end, so the
 * {@code content-length} is hidden (an HTTP/1 body then counts as chunked). A body that is not
 * base64 resets the request.
 */
public final class GrpcWebRequest extends HttpServerRequestWrapper {
  private final Base64Decoder decoder = new Base64Decoder();
  private final MultiMap headers;
  private Handler<Buffer> dataHandler;
  private Handler<Throwable> exceptionHandler;
  private boolean failed;

  private GrpcWebRequest(HttpServerRequestInternal delegate) {
    super(delegate);
    MultiMap original = delegate.headers();
    headers = HttpHeaders.headers().addAll(original);
    if (headers.contains(HttpHeaders.CONTENT_LENGTH)) {
      boolean body = !"0".equals(headers.get(HttpHeaders.CONTENT_LENGTH).trim());
      headers.remove(HttpHeaders.CONTENT_LENGTH);
      if (body && delegate.version() != HttpVersion.HTTP_2) {
        headers.set(HttpHeaders.TRANSFER_ENCODING, "chunked"); // how the gateway tells an HTTP/1 body of unknown length
      }
    }
  }

  /** {@code request} with its base64 body decoded, or {@code request} itself when it cannot be wrapped. */
  public static HttpServerRequest decoding(HttpServerRequest request) {
    return request instanceof HttpServerRequestInternal internal ? new GrpcWebRequest(internal) : request;
  }

  @Override
  public MultiMap headers() {
    return headers;
  }

  @Override
  public String getHeader(String name) {
    return headers.get(name);
  }

  @Override
  public String getHeader(CharSequence name) {
    return headers.get(name);
  }

  @Override
  public HttpServerRequest exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    delegate.exceptionHandler(handler);
    return this;
  }

  @Override
  public HttpServerRequest handler(Handler<Buffer> handler) {
    dataHandler = handler;
    delegate.handler(handler == null ? null : this::chunk);
    return this;
  }

  @Override
  public HttpServerRequest endHandler(Handler<Void> handler) {
    delegate.endHandler(handler == null ? null : v -> {
      if (failed) {
        return;
      }
      Buffer tail;
      try {
        tail = decoder.finish();
      } catch (IllegalArgumentException e) {
        fail(e);
        return;
      }
      if (tail.length() > 0 && dataHandler != null) {
        dataHandler.handle(tail);
      }
      handler.handle(v);
    });
    return this;
  }

  @Override
  public Future<Buffer> body() {
    return delegate.body().map(Base64Decoder::decodeAll);
  }

  private void chunk(Buffer chunk) {
    if (failed) {
      return;
    }
    Buffer decoded;
    try {
      decoded = decoder.decode(chunk);
    } catch (IllegalArgumentException e) {
      fail(e);
      return;
    }
    Handler<Buffer> handler = dataHandler;
    if (decoded.length() > 0 && handler != null) {
      handler.handle(decoded);
    }
  }

  /**
   * A body that is not base64: the reader stops, and the client's request is reset (its HTTP/1
   * connection closed), which ends the exchange like a client gone away: the upstream never gets
   * more than the frames decoded before.
   */
  private void fail(IllegalArgumentException cause) {
    failed = true;
    Handler<Throwable> handler = exceptionHandler;
    if (handler != null) {
      handler.handle(new IllegalArgumentException("gRPC-Web text body: " + cause.getMessage(), cause));
    }
    delegate.response().reset();
  }
}
