package io.portico.config;

/**
 * {@code listen:} the client-facing listener.
 *
 * @param host bind address, default {@code 0.0.0.0}
 * @param port default 8080
 * @param tls when present: HTTPS, with h2 through ALPN
 * @param instances listener verticles, default one per core (one per event loop)
 */
public record ListenConfig(String host, Integer port, TlsConfig tls, Integer instances) {
  public ListenConfig {
    host = host != null ? host : "0.0.0.0";
    port = port != null ? port : 8080;
    instances = instances != null ? instances : Runtime.getRuntime().availableProcessors();
  }
}
