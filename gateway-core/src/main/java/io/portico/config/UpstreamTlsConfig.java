package io.portico.config;

/**
 * {@code upstreams[].tls:} its presence turns TLS on for every endpoint of the upstream.
 * Verification of the chain and of the host name is always on unless {@code insecure-skip-verify}
 * says otherwise (allowed, but logged as a warning at every load). Files are PEM, relative to the
 * config file.
 *
 * @param ca CA certificates the upstream's chain must lead to; default: the JVM's trust store
 * @param serverName name sent as SNI and checked against the certificate; default: the endpoint's
 *     host when it is a name (an IP endpoint is then checked against the certificate's IP SANs)
 * @param cert client certificate chain for mutual TLS (with {@code key})
 * @param key private key of {@code cert}
 * @param insecureSkipVerify accept any certificate and name (testing only)
 */
public record UpstreamTlsConfig(String ca, String serverName, String cert, String key, Boolean insecureSkipVerify) {
  public UpstreamTlsConfig {
    insecureSkipVerify = insecureSkipVerify != null && insecureSkipVerify;
  }
}
