package io.portico.upstream;

/**
 * A head the gateway refused to write on an HTTP/1.1 connection because a header name is not a
 * token or a value holds CR, LF or NUL: written, it could split into more messages than it is.
 * Towards the upstream it is the gateway's own fault (a plugin set the header, or a check before
 * missed it); from the upstream it is the upstream's. Carries no stack trace: it is an expected
 * outcome.
 */
public final class UnsafeHeaderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean inAnswer;

  private UnsafeHeaderException(boolean inAnswer, String message) {
    super(message, null, false, false);
    this.inAnswer = inAnswer;
  }

  /** A header of the request to the upstream; never written. */
  static UnsafeHeaderException inRequest(String name) {
    return new UnsafeHeaderException(false, "unsafe request header " + name + " not sent upstream");
  }

  /** A header of the upstream's answer; never relayed. */
  static UnsafeHeaderException inAnswer(String endpoint, String name) {
    return new UnsafeHeaderException(true, "unsafe answer header " + name + " from " + endpoint);
  }

  /** Whether the header came in the upstream's answer (else it was in the request to it). */
  public boolean inAnswer() {
    return inAnswer;
  }
}
