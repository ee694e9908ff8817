package io.portico.server;

import io.portico.config.TlsConfig;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.nio.file.Path;
import java.util.LinkedHashSet;

/**
 * The listener's TLS from {@code listen.tls}: every certificate in one key store with SNI on, so a
 * client's server name picks the certificate whose SANs match it and the first serves clients
 * without a name or with an unknown one; client certificates asked for or required against a CA;
 * only the configured TLS versions.
 */
final class EdgeTls {
  private EdgeTls() {}

  /** Turns HTTPS on in {@code options}, with h2 through ALPN. */
  static void apply(HttpServerOptions options, TlsConfig tls, Path baseDir) {
    if (OpenSSLEngineOptions.isAvailable()) {
      options.setSslEngineOptions(new OpenSSLEngineOptions()); // BoringSSL: cheaper handshakes and records
    }
    options.setSsl(true).setUseAlpn(true).setSni(true)
        .setKeyCertOptions(keyCerts(tls, baseDir))
        .setEnabledSecureTransportProtocols(new LinkedHashSet<>(tls.protocols()));
    ClientAuth clientAuth = clientAuth(tls);
    options.setClientAuth(clientAuth);
    if (clientAuth != ClientAuth.NONE) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(resolve(baseDir, tls.clientAuth().ca())));
    }
  }

  /** The same settings as SSL options, to replace those of a running server (rotation). */
  static ServerSSLOptions sslOptions(TlsConfig tls, Path baseDir) {
    ServerSSLOptions options = new ServerSSLOptions().setSni(true)
        .setKeyCertOptions(keyCerts(tls, baseDir))
        .setEnabledSecureTransportProtocols(new LinkedHashSet<>(tls.protocols()))
        .setClientAuth(clientAuth(tls));
    options.setUseAlpn(true);
    if (clientAuth(tls) != ClientAuth.NONE) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(resolve(baseDir, tls.clientAuth().ca())));
    }
    return options;
  }

  private static PemKeyCertOptions keyCerts(TlsConfig tls, Path baseDir) {
    PemKeyCertOptions keyCerts = new PemKeyCertOptions();
    for (TlsConfig.CertificateConfig certificate : tls.all()) {
      keyCerts.addCertPath(resolve(baseDir, certificate.cert())).addKeyPath(resolve(baseDir, certificate.key()));
    }
    return keyCerts;
  }

  static ClientAuth clientAuth(TlsConfig tls) {
    return switch (tls.clientAuth().mode()) {
      case "request" -> ClientAuth.REQUEST;
      case "require" -> ClientAuth.REQUIRED;
      default -> ClientAuth.NONE;
    };
  }

  static String resolve(Path baseDir, String file) {
    Path path = Path.of(file);
    return (path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path)).toString();
  }
}
