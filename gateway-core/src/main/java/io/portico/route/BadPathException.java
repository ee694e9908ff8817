package io.portico.route;

/** A request path that cannot be normalised safely: the gateway answers 400 {@code bad_path}. */
public final class BadPathException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadPathException(String message) {
    super(message, null, false, false);
  }
}
