package io.portico.spi;

/** Fails {@link Exchange#body(long)} when the request body is larger than the limit asked for. */
public final class BodyTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BodyTooLargeException(long limit) {
    super("request body larger than " + limit + " bytes", null, false, false);
  }
}
