package io.portico.health;

import io.portico.config.UpstreamTlsConfig;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;

/**
 * The TLS of active HTTP checks: the same {@code tls:} block as the upstream's proxied traffic
 * (CA, client certificate, host name verification against {@code server-name} or the endpoint's
 * host), so a check fails exactly when a proxied request would.
 */
final class HealthCheckTls {
  private HealthCheckTls() {}

  static void apply(HttpClientOptions options, UpstreamTlsConfig tls, Path baseDir) {
    options.setSsl(true).setForceSni(true);
    if (tls.insecureSkipVerify()) {
      options.setTrustAll(true).setVerifyHost(false);
    } else {
      options.setVerifyHost(true);
      if (tls.ca() != null) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(resolve(baseDir, tls.ca())));
      }
    }
    if (tls.cert() != null) {
      options.setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(resolve(baseDir, tls.cert()))
          .setKeyPath(resolve(baseDir, tls.key())));
    }
  }

  private static String resolve(Path baseDir, String file) {
    Path path = Path.of(file);
    return (path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path)).toString();
  }
}
