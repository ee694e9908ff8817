package io.portico.testing;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP backend on 127.0.0.1 and a free port that records every request it sees (head and
 * whole body) and answers with a handler; by default 200 and a JSON echo of the request line.
 */
public final class RecordingBackend {
  /** One request as the backend received it. */
  public record Received(HttpMethod method, String uri, MultiMap headers, Buffer body) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger heads = new AtomicInteger();
  private final HttpServer server;

  private RecordingBackend(HttpServer server) {
    this.server = server;
  }

  /** A backend that echoes {@code METHOD uri} as its body. */
  public static RecordingBackend start(Vertx vertx) {
    return start(vertx, request -> request.response().putHeader("content-type", "text/plain")
        .end(request.method() + " " + request.uri()));
  }

  /** A backend that records, then answers with {@code answer} once the body was read. */
  public static RecordingBackend start(Vertx vertx, Handler<HttpServerRequest> answer) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    RecordingBackend backend = new RecordingBackend(server);
    server.requestHandler(request -> {
      backend.heads.incrementAndGet();
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
      request.body().onSuccess(body -> {
        backend.received.add(new Received(request.method(), request.uri(), headers, body));
        answer.handle(request);
      });
    });
    Await.result(server.listen());
    return backend;
  }

  public int port() {
    return server.actualPort();
  }

  public String address() {
    return "127.0.0.1:" + port();
  }

  /** Requests received completely, in order. */
  public List<Received> received() {
    return received;
  }

  /** Request heads seen, complete or not. */
  public int heads() {
    return heads.get();
  }

  /** Forgets what was received so far. */
  public void clear() {
    received.clear();
    heads.set(0);
  }

  public Received last() {
    return received.get(received.size() - 1);
  }

  public void close() {
    Await.result(server.close());
  }
}
