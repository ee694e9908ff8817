package io.portico.exchange;

import io.vertx.core.http.HttpServerRequest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** The client certificate chain of a request's TLS connection, as verified in the handshake. */
final class ClientCertificates {
  private ClientCertificates() {}

  static List<X509Certificate> of(HttpServerRequest request) {
    if (!request.isSSL()) {
      return List.of();
    }
    SSLSession session = request.sslSession();
    if (session == null) {
      return List.of();
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      List<X509Certificate> certificates = new ArrayList<>(chain.length);
      for (Certificate certificate : chain) {
        if (certificate instanceof X509Certificate x509) {
          certificates.add(x509);
        }
      }
      return List.copyOf(certificates);
    } catch (SSLPeerUnverifiedException e) {
      return List.of(); // the client sent no certificate
    }
  }
}
