package io.portico.upstream;

/**
 * The upstream did not process a stream: it refused it ({@code RST_STREAM REFUSED_STREAM}) or went
 * away ({@code GOAWAY}) with a last stream id below it. The request may go again on another
 * connection when its body can be sent again.
 */
final class Http2StreamRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;

  Http2StreamRefused(String why) {
    super(why, null, false, false);
  }
}
