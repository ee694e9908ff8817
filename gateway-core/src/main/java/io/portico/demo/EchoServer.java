package io.portico.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * A small HTTP backend that answers every request with a JSON description of what it received:
 * the demo's backends and the test kit's default backend.
 */
public final class EchoServer {
  /** Bodies larger than this are counted, not echoed. */
  private static final int MAX_ECHOED_BODY = 64 * 1024;

  private final String name;
  private final HttpServer server;

  private EchoServer(String name, HttpServer server) {
    this.name = name;
    this.server = server;
  }

  /** Starts an echo server on {@code host:port} (port 0 picks a free one). */
  public static Future<EchoServer> start(Vertx vertx, String host, int port, String name) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port));
    return server.requestHandler(request -> answer(name, request)).listen().map(s -> new EchoServer(name, s));
  }

  /** Answers one request with its echo (also usable as a handler inside other servers). */
  public static void answer(String name, HttpServerRequest request) {
    Buffer body = Buffer.buffer();
    long[] total = {0};
    request.handler(chunk -> {
      total[0] += chunk.length();
      if (body.length() < MAX_ECHOED_BODY) {
        body.appendBuffer(chunk);
      }
    });
    request.endHandler(v -> {
      Buffer echoed = total[0] <= MAX_ECHOED_BODY ? body : null;
      request.response().putHeader("content-type", "application/json")
          .end(describe(name, request, echoed).put("body_bytes", total[0]).encode());
    });
  }

  /**
   * What the echo answers: the server's name, the method, path, query, headers (lower-case names)
   * and the body ({@code null} when not kept).
   */
  public static JsonObject describe(String name, HttpServerRequest request, Buffer body) {
    JsonObject headers = new JsonObject();
    for (Map.Entry<String, String> h : request.headers()) {
      headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
    }
    return new JsonObject()
        .put("server", name)
        .put("method", request.method().name())
        .put("path", request.path())
        .put("query", request.query())
        .put("headers", headers)
        .put("body", body != null ? body.toString() : null);
  }

  public String name() {
    return name;
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }
}
