package io.portico.testkit;

import io.portico.demo.EchoServer;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP backend on {@code 127.0.0.1} and a free port that records every request. By default
 * it echoes each request as JSON ({@link EchoServer}); {@link #respondWith} switches it to a canned
 * status, and {@link #start(Handler)} takes a handler of your own.
 */
public final class TestBackend implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private volatile int cannedStatus;

  private TestBackend(Handler<HttpServerRequest> custom) {
    this.vertx = Vertx.vertx();
    this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    server.requestHandler(request -> handle(request, custom));
    Blocking.await(server.listen());
  }

  /** An echo backend. */
  public static TestBackend start() {
    return new TestBackend(null);
  }

  /** A backend answering with {@code handler}; requests are still recorded (headers only). */
  public static TestBackend start(Handler<HttpServerRequest> handler) {
    return new TestBackend(handler);
  }

  private void handle(HttpServerRequest request, Handler<HttpServerRequest> custom) {
    if (custom != null) {
      requests.add(new RecordedRequest(request.method(), request.uri(), copy(request.headers()), Buffer.buffer()));
      custom.handle(request);
      return;
    }
    request.body().onSuccess(body -> {
      requests.add(new RecordedRequest(request.method(), request.uri(), copy(request.headers()), body));
      int status = cannedStatus;
      if (status != 0) {
        request.response().setStatusCode(status).putHeader("content-type", "application/json")
            .end(new JsonObject().put("status", status).encode());
        return;
      }
      request.response().putHeader("content-type", "application/json")
          .end(EchoServer.describe("backend-" + port(), request, body).encode());
    });
  }

  private static MultiMap copy(MultiMap headers) {
    return MultiMap.caseInsensitiveMultiMap().addAll(headers);
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code 127.0.0.1:PORT}, as an upstream endpoint. */
  public String address() {
    return "127.0.0.1:" + port();
  }

  /** Every request received so far, in order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public int requestCount() {
    return requests.size();
  }

  /** From now on answer every request with this status (0 goes back to echoing). */
  public void respondWith(int status) {
    this.cannedStatus = status;
  }

  @Override
  public void close() {
    Blocking.await(server.close());
    Blocking.await(vertx.close());
  }
}
