package io.portico.spi;

import io.vertx.core.http.HttpMethod;

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

  /** The consumer set by an authentication plugin, or {@code null}. */
  String consumer();

  /** A value stored on the exchange under {@code key}, or {@code null}. */
  <T> T get(Key<T> key);
}
