package io.portico.exchange;

import io.portico.upstream.Upstream;

/**
 * What happened during an exchange, for its {@link io.portico.spi.ExchangeLog}: written by the
 * exchange's collaborators through these methods as it goes, read once by {@link ExchangeRecord}.
 */
final class ExchangeTrace {
  private String errorCode;
  /** The cause behind the error code when an upstream call failed, else {@code null}. */
  private String errorDetail;
  private Upstream upstream;
  private boolean mirrored;
  private String endpoint;
  private int attempts;
  private long upstreamStartNanos;
  private long upstreamNanos = -1;
  private long bytesReceived;
  private long bytesSent;

  /** A try (or a WebSocket handshake) left for the upstream. */
  void upstreamStarted() {
    attempts++;
    upstreamStartNanos = System.nanoTime();
  }

  void upstreamEnded() {
    if (upstreamStartNanos != 0) {
      long spent = System.nanoTime() - upstreamStartNanos;
      upstreamNanos = upstreamNanos < 0 ? spent : upstreamNanos + spent;
      upstreamStartNanos = 0;
    }
  }

  /** One more try is made after a failed one. */
  void retried() {
    attempts++;
  }

  /** The endpoint of the current try. */
  void endpoint(String address) {
    endpoint = address;
  }

  /** The stable error key of the gateway's own answer. */
  void errorCode(String code) {
    errorCode = code;
  }

  /** The upstream chosen for the exchange when its route splits traffic, else {@code null}. */
  Upstream upstream() {
    return upstream;
  }

  void upstream(Upstream chosen) {
    upstream = chosen;
  }

  /** Marks the request as handed to the route's mirror; {@code false} when it already was. */
  boolean firstMirroring() {
    if (mirrored) {
      return false;
    }
    mirrored = true;
    return true;
  }

  void bytesReceived(long total) {
    bytesReceived = total;
  }

  void received(long chunk) {
    bytesReceived += chunk;
  }

  void bytesSent(long total) {
    bytesSent = total;
  }

  String errorCode() {
    return errorCode;
  }

  void errorDetail(String detail) {
    errorDetail = detail;
  }

  String errorDetail() {
    return errorDetail;
  }

  String endpoint() {
    return endpoint;
  }

  int attempts() {
    return attempts;
  }

  long upstreamNanos() {
    return upstreamNanos;
  }

  long bytesReceived() {
    return bytesReceived;
  }

  long bytesSent() {
    return bytesSent;
  }
}
