package io.portico.upstream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;

/** How the request body goes upstream: nothing, a buffered body, or a stream from the client. */
public interface RequestBody {

  /** No body: the request ends with its head. */
  RequestBody NONE = request -> request.end();

  /** Sends the body (and ends the request) once the upstream request is ready. */
  void sendTo(HttpClientRequest request);

  /** A body read whole by a plugin, sent with its length. */
  static RequestBody buffered(Buffer body) {
    return request -> {
      request.putHeader("content-length", Integer.toString(body.length()));
      request.end(body);
    };
  }
}
