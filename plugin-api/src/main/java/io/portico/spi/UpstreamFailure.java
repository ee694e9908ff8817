package io.portico.spi;

/** Why an upstream call produced no answer. Carries no stack trace: it is an expected outcome. */
public final class UpstreamFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The kinds of failure, each mapped to one answer. */
  public enum Kind {
    /** Connection refused or not established in time: 502 {@code upstream_connect_failure}. */
    CONNECT_FAILURE(502, "upstream_connect_failure"),
    /** Connection closed or reset before a complete answer head: 502 {@code upstream_reset}. */
    RESET(502, "upstream_reset"),
    /** No answer head within the route's timeout: 504 {@code upstream_timeout}. */
    TIMEOUT(504, "upstream_timeout"),
    /** No healthy endpoint to send to: 503 {@code no_healthy_endpoint}. */
    NO_ENDPOINT(503, "no_healthy_endpoint"),
    /**
     * The TLS handshake with the upstream failed (unknown CA, expired certificate, name mismatch,
     * handshake timeout, client certificate refused): 502 {@code upstream_tls_error}. Counts as an
     * upstream fault for outlier detection and breakers.
     */
    TLS_ERROR(502, "upstream_tls_error"),
    /**
     * The gateway gave up on the try itself (the client went away, or the answer was no longer
     * wanted). Not a fault of the upstream: breakers and outlier detection must not count it.
     */
    CANCELLED(499, "cancelled");

    private final int status;
    private final String error;

    Kind(int status, String error) {
      this.status = status;
      this.error = error;
    }

    public int status() {
      return status;
    }

    public String error() {
      return error;
    }
  }

  private final Kind kind;
  private final String endpoint;

  public UpstreamFailure(Kind kind, String endpoint, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.endpoint = endpoint;
  }

  public Kind kind() {
    return kind;
  }

  /** {@code host:port} of the endpoint of the last try, or {@code null}. */
  public String endpoint() {
    return endpoint;
  }
}
