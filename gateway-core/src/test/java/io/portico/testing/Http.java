package io.portico.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Small helpers for requests in tests. */
public final class Http {
  /** An answer read whole. */
  public record Answer(int status, MultiMap headers, String body) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  private Http() {}

  public static Answer send(HttpClient client, RequestOptions options) {
    return send(client, options, null);
  }

  public static Answer send(HttpClient client, RequestOptions options, Buffer body) {
    return Await.result(client.request(options)
        // nested compose: the body handler is set on the event loop as the head arrives (no race)
        .compose(request -> (body == null ? request.send() : request.send(body))
            .compose(response -> response.body().map(b -> new Answer(response.statusCode(), response.headers(), b.toString())))));
  }

  /** A loopback port nothing listens on (bound then released). */
  public static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
