package io.portico.spi;

import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Objects;

/**
 * The immutable record of a finished exchange, handed to {@link Plugin#onComplete} once the
 * answer was sent or the client went away. Statistics, access logs and traces read it.
 */
public interface ExchangeLog {

  String requestId();

  /** The matched route, or {@code null} when none matched. */
  String routeName();

  /**
   * The upstream of the exchange: the one a split or canary rule chose for it, else the route's;
   * {@code null} when no route matched.
   */
  String upstreamName();

  /** {@code host:port} of the last endpoint tried, or {@code null} when none was. */
  String endpoint();

  HttpMethod method();

  /** The normalised path (not for metric labels: its cardinality is unbounded). */
  String path();

  /** The status sent to the client; 0 when the client went away before an answer. */
  int status();

  /** The gateway's error code (as in the error JSON), or {@code null} for an upstream answer. */
  String errorCode();

  /**
   * Why the gateway answered with {@link #errorCode()}, when it knows more than the code says: the
   * cause of an upstream failure (for {@code upstream_tls_error} the handshake's, e.g. an unknown
   * CA or an expired certificate); else {@code null}.
   */
  default String errorDetail() {
    return null;
  }

  /** Wall-clock time the request head was received, in epoch milliseconds. */
  long startEpochMillis();

  /** From request head received to the last byte of the answer written. */
  long durationNanos();

  /** Time spent waiting on the upstream (all tries), or -1 when no upstream call was made. */
  long upstreamDurationNanos();

  /** Number of upstream tries (0 when answered by the gateway). */
  int attempts();

  /** Request body bytes received from the client. */
  long bytesReceived();

  /** Response body bytes sent to the client. */
  long bytesSent();

  String clientIp();

  /**
   * The gRPC status code (0 to 16) the client got for a gRPC call ({@code content-type:
   * application/grpc*}): from the answer's trailers, or its head for a trailers-only answer (the
   * gateway's own answers to gRPC calls are trailers-only); -1 for a request that is not a gRPC
   * call.
   *
   * @since 1.5
   */
  default int grpcStatus() {
    return -1;
  }

  /** The consumer set by an authentication plugin, or {@code null}. */
  String consumer();

  /** A value stored on the exchange under {@code key}, or {@code null}. */
  <T> T get(Key<T> key);

  /**
   * The names of the plugins of the route's chain, in {@code onRequest} order: the index space of
   * {@link #pluginNanos(int)}. Every exchange run by one compiled chain returns the same list
   * instance, so a plugin can cache what it derives from it and check with {@code ==}; a config
   * reload compiles a new chain and so a new (maybe equal) list. Empty without plugins.
   *
   * @since 1.1
   */
  default List<String> pluginNames() {
    return List.of();
  }

  /**
   * The time spent in the {@code onRequest} and {@code onResponse} phases of the plugin at
   * {@code index} of {@link #pluginNames()}, summed, in nanoseconds of wall time; -1 when its
   * {@code onRequest} did not run (an earlier plugin answered or failed, or the client went away).
   *
   * <p>A phase that returns a future that is not complete yet counts until the future completes and
   * the chain resumes on the exchange's event loop, so time the plugin waits on I/O, a timer or a
   * worker thread is included; a phase still waiting when the exchange ends counts until the end.
   * Not included: {@code onComplete}, and the time an {@link UpstreamInterceptor} wraps the upstream
   * call (that is part of {@link #upstreamDurationNanos()}).
   *
   * @throws IndexOutOfBoundsException when {@code index} is not an index of {@link #pluginNames()}
   * @since 1.1
   */
  default long pluginNanos(int index) {
    Objects.checkIndex(index, pluginNames().size());
    return -1;
  }
}
