package io.portico.config;

/** {@code upstreams[].protocol:} how the gateway speaks to the endpoints of an upstream. */
public enum UpstreamProtocol {
  /** HTTP/1.1, over TLS when the upstream has a {@code tls:} block (the default). */
  HTTP1,
  /** HTTP/2 over cleartext TCP with prior knowledge (gRPC servers without TLS). */
  H2C,
  /** HTTP/2 over TLS, agreed by ALPN: a server that does not offer h2 is a failed connection. */
  H2,
  /** TLS with ALPN offering h2 and http/1.1: HTTP/2 when the server picks it, else HTTP/1.1. */
  AUTO;

  /** Whether connections must be TLS. */
  public boolean needsTls() {
    return this == H2 || this == AUTO;
  }
}
