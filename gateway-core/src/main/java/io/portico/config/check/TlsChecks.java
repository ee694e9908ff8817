package io.portico.config.check;

import io.portico.config.NodePaths;
import io.portico.config.TlsConfig;
import io.portico.config.UpstreamTlsConfig;
import io.portico.config.GatewayConfig;
import io.portico.config.UpstreamConfig;
import io.portico.config.bind.ConfigProblems;

import java.util.List;
import java.util.Set;

/** Checks the {@code tls:} blocks of the listener and of upstreams. */
final class TlsChecks {
  private static final Set<String> CLIENT_AUTH = Set.of("none", "request", "require");

  private final ConfigProblems problems;

  TlsChecks(ConfigProblems problems) {
    this.problems = problems;
  }

  void listen(TlsConfig tls) {
    if (tls.cert() == null && tls.key() == null && tls.certificates().isEmpty()) {
      problems.add("listen.tls", "needs cert and key, or certificates");
    } else if (tls.cert() != null || tls.key() != null) {
      pair("listen.tls", tls.cert(), tls.key());
    }
    List<TlsConfig.CertificateConfig> certificates = tls.certificates();
    for (int i = 0; i < certificates.size(); i++) {
      TlsConfig.CertificateConfig entry = certificates.get(i);
      if (entry == null) {
        continue;
      }
      pair(NodePaths.index("listen.tls.certificates", i), entry.cert(), entry.key());
    }
    TlsConfig.ClientAuthConfig clientAuth = tls.clientAuth();
    if (!CLIENT_AUTH.contains(clientAuth.mode())) {
      problems.add("listen.tls.client-auth.mode", "expected none, request or require, got \"" + clientAuth.mode() + "\"");
    } else if (!clientAuth.mode().equals("none") && clientAuth.ca() == null) {
      problems.add("listen.tls.client-auth.ca", "is required with mode " + clientAuth.mode());
    }
    for (int i = 0; i < tls.protocols().size(); i++) {
      String protocol = tls.protocols().get(i);
      if (!TlsConfig.SUPPORTED_PROTOCOLS.contains(protocol)) {
        problems.add(NodePaths.index("listen.tls.protocols", i), "expected one of " + TlsConfig.SUPPORTED_PROTOCOLS
            + ", got \"" + protocol + "\"");
      }
    }
  }

  void upstream(UpstreamTlsConfig tls, String path) {
    if (tls.cert() != null || tls.key() != null) {
      pair(path, tls.cert(), tls.key());
    }
    if (tls.serverName() != null && tls.serverName().isBlank()) {
      problems.add(NodePaths.key(path, "server-name"), "must not be empty");
    }
    if (tls.insecureSkipVerify() && tls.ca() != null) {
      problems.add(NodePaths.key(path, "insecure-skip-verify"), "skips verification: ca would be ignored");
    }
  }

  private void pair(String path, String cert, String key) {
    if (cert == null) {
      problems.add(NodePaths.key(path, "cert"), "is required with key");
    }
    if (key == null) {
      problems.add(NodePaths.key(path, "key"), "is required with cert");
    }
  }
}
