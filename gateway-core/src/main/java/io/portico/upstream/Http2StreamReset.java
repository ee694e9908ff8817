package io.portico.upstream;

/** The upstream reset a stream ({@code RST_STREAM}) before its answer ended. */
final class Http2StreamReset extends RuntimeException {
  private static final long serialVersionUID = 1L;

  Http2StreamReset(String errorName) {
    super("stream reset by the upstream: " + errorName, null, false, false);
  }
}
