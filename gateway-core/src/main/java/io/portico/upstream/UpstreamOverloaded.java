package io.portico.upstream;

/**
 * A try that found every HTTP/2 connection to its endpoint full ({@code max-concurrent-streams} on
 * each of {@code max-connections}) and could not get a stream within its brief wait. Answered
 * {@code 503 upstream_overloaded} with {@code Retry-After}. No stack trace: it is thrown under load.
 */
public final class UpstreamOverloaded extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String endpoint;

  UpstreamOverloaded(String endpoint) {
    super("every HTTP/2 connection to " + endpoint + " has as many streams as it may carry", null, false, false);
    this.endpoint = endpoint;
  }

  /** {@code host:port} of the endpoint. */
  public String endpoint() {
    return endpoint;
  }
}
