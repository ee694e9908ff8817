package io.portico.config;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code listen.tls:} the listener's certificates and what it asks of clients. Files are PEM,
 * relative to the config file.
 *
 * @param cert certificate chain of the single-certificate form
 * @param key private key of {@code cert}
 * @param certificates several certificates, chosen by the client's SNI against each one's SANs;
 *     the first (after {@code cert}/{@code key} when both forms are given) serves clients that send
 *     no name or an unknown one
 * @param clientAuth {@code {mode: none|request|require, ca}}; default {@code none}
 * @param protocols TLS versions offered, default {@code [TLSv1.3, TLSv1.2]}; older ones are refused
 */
public record TlsConfig(String cert, String key, List<CertificateConfig> certificates, ClientAuthConfig clientAuth,
    List<String> protocols) {
  /** Versions that may be listed in {@code protocols}. */
  public static final List<String> SUPPORTED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  public TlsConfig {
    certificates = certificates != null ? List.copyOf(certificates) : List.of();
    clientAuth = clientAuth != null ? clientAuth : new ClientAuthConfig(null, null);
    // an absent list binds as an empty one
    protocols = protocols != null && !protocols.isEmpty() ? List.copyOf(protocols) : SUPPORTED_PROTOCOLS;
  }

  /** The single-certificate form. */
  public TlsConfig(String cert, String key) {
    this(cert, key, null, null, null);
  }

  /** Every certificate, the default one first. */
  public List<CertificateConfig> all() {
    List<CertificateConfig> all = new ArrayList<>(certificates.size() + 1);
    if (cert != null || key != null) {
      all.add(new CertificateConfig(cert, key));
    }
    all.addAll(certificates);
    return all;
  }

  /** {@code listen.tls.certificates[]:} a certificate chain and its private key. */
  public record CertificateConfig(String cert, String key) {}

  /**
   * {@code listen.tls.client-auth:}.
   *
   * @param mode {@code none} (default), {@code request} (ask for a certificate; a client may send
   *     none) or {@code require} (refuse the handshake without one)
   * @param ca CA certificates client certificates must lead to; required unless {@code none}
   */
  public record ClientAuthConfig(String mode, String ca) {
    public ClientAuthConfig {
      mode = mode != null ? mode : "none";
    }
  }
}
