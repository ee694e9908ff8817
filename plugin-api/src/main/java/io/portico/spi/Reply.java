package io.portico.spi;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An answer produced by the gateway itself instead of the upstream. Immutable: a plugin may build
 * one at {@link PluginFactory#create} time and return it for every request.
 *
 * <p>An error reply ({@link #error}) carries a stable {@code error} code; the gateway renders it as
 * {@code {"error":"<code>","message":"<message>","request_id":"<id>"}} so the same code shows in
 * the answer, the access log and the metrics. A reply with an explicit {@link #body} is sent as
 * given.
 */
public final class Reply implements Decision {
  private final int status;
  private final List<Map.Entry<String, String>> headers;
  private final Buffer body;
  private final String error;
  private final String message;

  private Reply(int status, List<Map.Entry<String, String>> headers, Buffer body, String error, String message) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100..599: " + status);
    }
    this.status = status;
    this.headers = List.copyOf(headers);
    this.body = body;
    this.error = error;
    this.message = message;
  }

  /** An error answer rendered as the gateway's standard JSON error body. */
  public static Reply error(int status, String error, String message) {
    return new Reply(status, List.of(), null, Objects.requireNonNull(error, "error"), message);
  }

  /** An answer with a status and no body. */
  public static Reply status(int status) {
    return new Reply(status, List.of(), null, null, null);
  }

  /** A copy of this reply with one more header. */
  public Reply withHeader(String name, String value) {
    List<Map.Entry<String, String>> copy = new ArrayList<>(headers);
    copy.add(Map.entry(name, value));
    return new Reply(status, copy, body, error, message);
  }

  /** A copy of this reply with this body, sent as is (set a {@code content-type} header too). */
  public Reply withBody(Buffer body) {
    return new Reply(status, headers, Objects.requireNonNull(body, "body"), error, message);
  }

  /** A copy of this reply with a UTF-8 body. */
  public Reply withBody(String body) {
    return withBody(Buffer.buffer(body));
  }

  /** This reply as an already completed future, the usual return value of a plugin phase. */
  public Future<Decision> asFuture() {
    return Future.succeededFuture(this);
  }

  public int status() {
    return status;
  }

  /** Headers in the order they were added; names may repeat. */
  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** The explicit body, or {@code null} when the reply is an error rendered by the gateway or empty. */
  public Buffer body() {
    return body;
  }

  /** The stable error code, or {@code null} for a non-error reply. */
  public String error() {
    return error;
  }

  /** A human-readable message for error replies, or {@code null}. */
  public String message() {
    return message;
  }

  @Override
  public String toString() {
    return "Reply(" + status + (error != null ? " " + error : "") + ")";
  }
}
