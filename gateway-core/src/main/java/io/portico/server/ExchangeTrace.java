package io.portico.server;

/** What happened during an exchange, for its {@link io.portico.spi.ExchangeLog}. */
final class ExchangeTrace {
  String errorCode;
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
