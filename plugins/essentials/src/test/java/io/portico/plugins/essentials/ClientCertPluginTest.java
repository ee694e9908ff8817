package io.portico.plugins.essentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.portico.testkit.RecordedRequest;
import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.security.MessageDigest;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code client-cert} behind a listener that asks for client certificates: 401 without one, 403
 * for a subject no pattern matches, the identity upstream for a matching one, and a client's own
 * identity headers never reaching the upstream.
 */
class ClientCertPluginTest {
  static X509Bundle clientsCa;
  static TestBackend backend;
  static TestGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    X509Bundle serverCa = ca("server-ca");
    X509Bundle server = leaf(serverCa, "CN=gateway.test");
    clientsCa = ca("clients-ca");
    backend = TestBackend.start();
    gateway = TestGateway.start("""
        listen:
          tls: { cert: server.pem, key: server.key, client-auth: { mode: request, ca: clients-ca.pem } }
        upstreams:
          - { name: b, endpoints: [%s] }
        routes:
          - name: internal-admin
            match: { path-prefix: /internal }
            upstream: b
            plugins:
              client-cert:
                subjects: ["CN=ops-*", "*.ops.test"]
                headers: { subject: X-Client-Subject, fingerprint: X-Client-Cert-Sha256 }
          - { name: open, upstream: b }
        """.formatted(backend.address()), dir -> {
          Files.writeString(dir.resolve("server.pem"), server.getCertificatePEM());
          Files.writeString(dir.resolve("server.key"), server.getPrivateKeyPEM());
          Files.writeString(dir.resolve("clients-ca.pem"), clientsCa.getCertificatePEM());
        });
  }

  @AfterAll
  static void stop() {
    gateway.close();
    backend.close();
  }

  int before;

  @BeforeEach
  void count() {
    before = backend.requestCount();
  }

  @Test
  void withoutACertificateTheAnswerIs401() throws Exception {
    String answer = get(null, "/internal/x", "X-Client-Subject: CN=ops-forged\r\n");

    assertThat(answer).startsWith("HTTP/1.1 401").contains("\"error\":\"client_certificate_required\"");
    assertThat(backend.requestCount()).isEqualTo(before);
  }

  @Test
  void aSubjectNoPatternMatchesIsForbidden() throws Exception {
    String answer = get(leaf(clientsCa, "CN=dev-1"), "/internal/x", "");

    assertThat(answer).startsWith("HTTP/1.1 403").contains("\"error\":\"client_certificate_forbidden\"");
    assertThat(backend.requestCount()).isEqualTo(before);
  }

  @Test
  void aMatchingCertificatePassesItsIdentityAndNeverTheClientsOwnHeaders() throws Exception {
    X509Bundle ops = leaf(clientsCa, "CN=ops-7,O=Shop");

    String answer = get(ops, "/internal/x",
        "X-Client-Subject: CN=root\r\nX-Client-Cert-Sha256: 00\r\nX-Client-Cert-Sha256: 11\r\n");

    assertThat(answer).startsWith("HTTP/1.1 200");
    assertThat(backend.requestCount()).isEqualTo(before + 1);
    RecordedRequest received = backend.requests().get(before);
    assertThat(received.headers().getAll("X-Client-Subject")).containsExactly("CN=ops-7,O=Shop");
    assertThat(received.headers().getAll("X-Client-Cert-Sha256")).containsExactly(sha256(ops.getCertificate()));
  }

  @Test
  void aMatchingSanIsEnough() throws Exception {
    X509Bundle byName = leaf(clientsCa, "CN=robot", "deploy.ops.test");

    assertThat(get(byName, "/internal/y", "")).startsWith("HTTP/1.1 200");
  }

  @Test
  void routesWithoutThePluginDoNotNeedACertificate() throws Exception {
    assertThat(get(null, "/open", "")).startsWith("HTTP/1.1 200");
  }

  private static String sha256(X509Certificate certificate) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
  }

  /** One request over TLS, offering {@code certificate} when the gateway asks for one. */
  private static String get(X509Bundle certificate, String path, String extraHeaders) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    KeyManager[] keys = certificate == null ? null : certificate.toKeyManagerFactory().getKeyManagers();
    context.init(keys, new TrustManager[] {new TrustingAll()}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 10_000);
      socket.setSoTimeout(10_000);
      String request = "GET " + path + " HTTP/1.1\r\nhost: gateway.test\r\nconnection: close\r\n" + extraHeaders + "\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static X509Bundle ca(String name) throws Exception {
    return new CertificateBuilder().subject("CN=" + name).ecp256().setIsCertificateAuthority(true)
        .setKeyUsage(true, CertificateBuilder.KeyUsage.keyCertSign, CertificateBuilder.KeyUsage.digitalSignature)
        .notBefore(Instant.now().minus(1, ChronoUnit.DAYS)).notAfter(Instant.now().plus(10, ChronoUnit.DAYS))
        .buildSelfSigned();
  }

  private static X509Bundle leaf(X509Bundle ca, String subject, String... dnsNames) throws Exception {
    CertificateBuilder builder = new CertificateBuilder().subject(subject).ecp256()
        .setKeyUsage(true, CertificateBuilder.KeyUsage.digitalSignature)
        .addExtendedKeyUsageServerAuth().addExtendedKeyUsageClientAuth()
        .notBefore(Instant.now().minus(1, ChronoUnit.DAYS)).notAfter(Instant.now().plus(10, ChronoUnit.DAYS));
    for (String name : dnsNames) {
      builder.addSanDnsName(name);
    }
    return builder.buildIssuedBy(ca);
  }

  /** The test checks the gateway's answers, not its certificate. */
  private static final class TrustingAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
