package io.portico.spi;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One request and its answer as it passes through the gateway. An exchange is confined to the
 * event loop that accepted the connection: call it only from plugin callbacks or from code running
 * on {@link #context()}.
 */
public interface Exchange {

  /** The request id: the incoming {@code X-Request-Id} when present and sane, else a new one. */
  String requestId();

  /** Name of the matched route. */
  String routeName();

  HttpMethod method();

  /**
   * The normalised request path (dot segments resolved, percent-encoded unreserved characters
   * decoded), without the query. This is what routes match against.
   */
  String path();

  /** The raw query string without {@code ?}, or {@code null} when there is none. */
  String query();

  /** The first value of a query parameter, percent-decoded, or {@code null}. */
  String queryParam(String name);

  /** The host the client asked for, lower case, without the port. */
  String host();

  /** {@code http} or {@code https}, as seen by the client (trusted proxies taken into account). */
  String scheme();

  /**
   * The client's IP address. Taken from {@code X-Forwarded-For} only when the connection comes
   * from a configured trusted proxy; otherwise the peer address.
   */
  String clientIp();

  /**
   * Request headers that will be sent upstream. Mutable until the upstream request is sent:
   * {@link Plugin#onRequest} may add, set or remove headers.
   */
  MultiMap requestHeaders();

  /**
   * The path sent upstream (after {@code strip-prefix} and rewrites). A plugin in
   * {@link Stage#TRANSFORM} may replace it; it must start with {@code /}.
   */
  String upstreamPath();

  void setUpstreamPath(String path);

  /**
   * Reads the whole request body, up to {@code maxBytes}. The body is read once and kept, and it
   * is what the upstream receives. When the body is larger the future fails with
   * {@link BodyTooLargeException} and the gateway answers 413. Calling this makes the gateway
   * buffer the body for this exchange; plugins that do not call it leave the body streaming.
   */
  Future<Buffer> body(long maxBytes);

  /** Status of the answer; 0 until the answer's head is known ({@link Plugin#onResponse}). */
  int status();

  /**
   * Headers of the answer that will be sent to the client: mutable in {@link Plugin#onResponse}.
   * Before the answer's head is known this is empty.
   */
  MultiMap responseHeaders();

  /**
   * Headers added to whatever answer the client gets, from the upstream or from a {@link Reply}.
   * A plugin may add to them in any phase before the answer's head is sent (for example rate
   * limit headers computed in {@link Plugin#onRequest}).
   */
  MultiMap additionalResponseHeaders();

  /**
   * The certificate chain the client presented in the TLS handshake, its own certificate first,
   * already verified by the listener against {@code listen.tls.client-auth.ca}; empty on plain
   * HTTP, when the listener does not ask for certificates, or when the client sent none.
   */
  default List<X509Certificate> clientCertificates() {
    return List.of();
  }

  /** The identity of the caller as set by an authentication plugin, or {@code null}. */
  String consumer();

  /** Records the caller's identity; rate limits and the access log key on it. */
  void setConsumer(String consumer);

  /** The value stored under {@code key}, or {@code null}. */
  <T> T get(Key<T> key);

  /** Stores a value for the rest of this exchange; {@code null} removes it. */
  <T> void put(Key<T> key, T value);

  /** The Vert.x context of the event loop that owns this exchange. */
  Context context();

  /** {@link System#nanoTime()} when the request head was received. */
  long startNanos();
}
