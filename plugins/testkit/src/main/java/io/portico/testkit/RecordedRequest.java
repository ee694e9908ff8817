package io.portico.testkit;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/** A request as a {@link TestBackend} received it. */
public record RecordedRequest(HttpMethod method, String uri, MultiMap headers, Buffer body) {

  /** The first value of a header, or {@code null}. */
  public String header(String name) {
    return headers.get(name);
  }
}
