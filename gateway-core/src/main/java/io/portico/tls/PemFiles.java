package io.portico.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and checks PEM certificate and key files: that they exist, parse, and that a private key
 * belongs to its certificate (it signs what the certificate's public key verifies). Keys are
 * unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), as {@code openssl genpkey} and cert-manager
 * ({@code privateKey.encoding: PKCS8}) write them. Blocking I/O: call off the event loops.
 */
public final class PemFiles {
  private static final Pattern KEY = Pattern.compile(
      "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final SecureRandom RANDOM = new SecureRandom();

  private PemFiles() {}

  /** The certificates of a PEM file, in file order. */
  public static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    byte[] bytes = read(file);
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      for (Certificate certificate : factory.generateCertificates(new ByteArrayInputStream(bytes))) {
        certificates.add((X509Certificate) certificate);
      }
    } catch (CertificateException e) {
      throw new GeneralSecurityException(file + ": not a PEM certificate (" + e.getMessage() + ")", e);
    }
    if (certificates.isEmpty()) {
      throw new GeneralSecurityException(file + ": no certificate in the file");
    }
    return certificates;
  }

  /** The PKCS#8 private key of a PEM file. */
  public static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    String text = new String(read(file), StandardCharsets.US_ASCII);
    Matcher matcher = KEY.matcher(text);
    if (!matcher.find()) {
      throw new GeneralSecurityException(file + ": no unencrypted PKCS#8 private key (BEGIN PRIVATE KEY)"
          + (text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")
              ? "; convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8" : ""));
    }
    byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
    for (String algorithm : new String[] {"EC", "RSA", "Ed25519", "RSASSA-PSS"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // not this algorithm
      }
    }
    throw new GeneralSecurityException(file + ": unsupported private key algorithm");
  }

  /**
   * Checks a certificate file and its key file.
   *
   * @return the certificate chain
   * @throws GeneralSecurityException naming the file and the problem
   */
  public static List<X509Certificate> checkPair(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
    List<X509Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile);
    if (!matches(chain.get(0), key)) {
      throw new GeneralSecurityException(keyFile + " is not the private key of " + certFile + " ("
          + chain.get(0).getSubjectX500Principal().getName() + ")");
    }
    return chain;
  }

  private static boolean matches(X509Certificate certificate, PrivateKey key) throws GeneralSecurityException {
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) {
      return key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm());
    }
    if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())
        && !(algorithm.equals("Ed25519") && certificate.getPublicKey().getAlgorithm().startsWith("Ed"))) {
      return false;
    }
    byte[] challenge = new byte[32];
    RANDOM.nextBytes(challenge);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(challenge);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(challenge);
    return verifier.verify(signature);
  }

  private static byte[] read(Path file) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file + ": no such file");
    }
  }
}
