package io.portico.testing;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Certificate authorities and certificates made for one test, written as PEM files. */
public final class TestPki {
  private TestPki() {}

  /** A self-signed CA named {@code CN=name}. */
  public static X509Bundle ca(String name) {
    try {
      return new CertificateBuilder()
          .subject("CN=" + name)
          .ecp256()
          .setIsCertificateAuthority(true)
          .setKeyUsage(true, CertificateBuilder.KeyUsage.keyCertSign, CertificateBuilder.KeyUsage.cRLSign,
              CertificateBuilder.KeyUsage.digitalSignature)
          .notBefore(Instant.now().minus(1, ChronoUnit.DAYS))
          .notAfter(Instant.now().plus(30, ChronoUnit.DAYS))
          .buildSelfSigned();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A certificate issued by {@code ca} for {@code subject}, valid now, with DNS and IP SANs. */
  public static X509Bundle leaf(X509Bundle ca, String subject, String... names) {
    return leaf(ca, subject, Instant.now().minus(1, ChronoUnit.DAYS), Instant.now().plus(30, ChronoUnit.DAYS), names);
  }

  /** A certificate issued by {@code ca}, valid between the given instants. */
  public static X509Bundle leaf(X509Bundle ca, String subject, Instant notBefore, Instant notAfter, String... names) {
    try {
      CertificateBuilder builder = new CertificateBuilder()
          .subject(subject.contains("=") ? subject : "CN=" + subject)
          .ecp256()
          .setKeyUsage(true, CertificateBuilder.KeyUsage.digitalSignature, CertificateBuilder.KeyUsage.keyAgreement)
          .addExtendedKeyUsageServerAuth()
          .addExtendedKeyUsageClientAuth()
          .notBefore(notBefore)
          .notAfter(notAfter);
      for (String name : names) {
        if (Character.isDigit(name.charAt(0)) || name.contains(":")) {
          builder.addSanIpAddress(name);
        } else {
          builder.addSanDnsName(name);
        }
      }
      return builder.buildIssuedBy(ca);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code bundle}'s certificate to {@code dir/name.pem} and its key to {@code dir/name.key}. */
  public static Path write(Path dir, String name, X509Bundle bundle) {
    try {
      Files.writeString(dir.resolve(name + ".pem"), bundle.getCertificatePEM());
      Files.writeString(dir.resolve(name + ".key"), bundle.getPrivateKeyPEM());
      return dir.resolve(name + ".pem");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a CA's certificate to {@code dir/name.pem}. */
  public static Path writeCa(Path dir, String name, X509Bundle ca) {
    try {
      return Files.writeString(dir.resolve(name + ".pem"), ca.getCertificatePEM());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
