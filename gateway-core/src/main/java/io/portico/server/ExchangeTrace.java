package io.portico.server;

import io.portico.upstream.Upstream;

/** What happened during an exchange, for its {@link io.portico.spi.ExchangeLog}. */
final class ExchangeTrace {
  String errorCode;
  /** The cause behind {@link #errorCode} when an upstream call failed, else {@code null}. */
  String errorDetail;
  /** The upstream chosen for the exchange when its route splits traffic, else {@code null}. */
  Upstream upstream;
  /** Whether a copy of the request went (or was refused) to the route's mirror. */
  boolean mirrored;
  String endpoint;
  int attempts;
  long upstreamStartNanos;
  long upstreamNanos = -1;
  long bytesReceived;
  long bytesSent;

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
}
