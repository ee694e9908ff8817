package io.portico.testkit;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** An answer received by a test, fully read. */
public record TestResponse(int status, MultiMap headers, Buffer body) {

  /** The first value of a header, or {@code null}. */
  public String header(String name) {
    return headers.get(name);
  }

  public String bodyAsString() {
    return body.toString();
  }

  /** The body parsed as a JSON object (fails the test when it is not one). */
  public JsonObject json() {
    return new JsonObject(body);
  }

  @Override
  public String toString() {
    return status + " " + headers.entries() + " " + (body.length() > 500 ? body.length() + " bytes" : body.toString());
  }
}
