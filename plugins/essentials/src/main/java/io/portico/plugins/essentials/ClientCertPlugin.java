package io.portico.plugins.essentials;

import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.Plugin;
import io.portico.spi.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** One route's {@code client-cert} check; see {@link ClientCertPluginFactory}. */
final class ClientCertPlugin implements Plugin {
  static final Reply REQUIRED = Reply.error(401, "client_certificate_required", "a client certificate is required");
  static final Reply FORBIDDEN = Reply.error(403, "client_certificate_forbidden", "the client certificate is not allowed");

  private final List<Pattern> subjects;
  private final ClientCertPluginFactory.Headers headers;

  ClientCertPlugin(ClientCertPluginFactory.Config config) {
    this.subjects = config.subjects().stream().map(ClientCertPlugin::glob).toList();
    this.headers = config.headers();
  }

  @Override
  public Future<Decision> onRequest(Exchange exchange) {
    MultiMap request = exchange.requestHeaders();
    // whatever the client sent under these names is never the verified identity
    remove(request, headers.subject());
    remove(request, headers.fingerprint());
    remove(request, headers.san());
    List<X509Certificate> chain = exchange.clientCertificates();
    if (chain.isEmpty()) {
      return REQUIRED.asFuture();
    }
    X509Certificate certificate = chain.get(0);
    String subject = certificate.getSubjectX500Principal().getName();
    List<String> sans = sans(certificate);
    if (!subjects.isEmpty() && !matches(subject, sans)) {
      return FORBIDDEN.asFuture();
    }
    if (headers.subject() != null) {
      request.set(headers.subject(), subject);
    }
    if (headers.fingerprint() != null) {
      request.set(headers.fingerprint(), fingerprint(certificate));
    }
    if (headers.san() != null && !sans.isEmpty()) {
      request.set(headers.san(), String.join(",", sans));
    }
    return Decision.CONTINUE;
  }

  private boolean matches(String subject, List<String> sans) {
    for (Pattern pattern : subjects) {
      if (pattern.matcher(subject).matches()) {
        return true;
      }
      for (String san : sans) {
        if (pattern.matcher(san).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  private static void remove(MultiMap headers, String name) {
    if (name != null) {
      headers.remove(name);
    }
  }

  /** DNS names, e-mail addresses, URIs and IP addresses among the SANs. */
  static List<String> sans(X509Certificate certificate) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names == null) {
        return List.of();
      }
      List<String> values = new ArrayList<>(names.size());
      for (List<?> name : names) {
        if (name.size() >= 2 && name.get(1) instanceof String value) {
          values.add(value);
        }
      }
      return values;
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }

  static String fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code *} matches any run of characters; everything else literally. */
  static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    String[] parts = pattern.split("\\*", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString());
  }
}
