package io.portico.upstream;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.portico.config.UpstreamTlsConfig;
import io.portico.tls.PemFiles;
import java.security.cert.X509Certificate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the client {@link SslContext} of an upstream from its {@code tls:} block: TLS 1.3 and 1.2,
 * ALPN offering {@code http/1.1} (or {@code h2} first for HTTP/2 upstreams), the chain checked against the CA file (or the JVM's trust store)
 * and the host name checked as HTTPS does, a client certificate when one is given. Reads files:
 * call off the event loop.
 */
public final class UpstreamTlsContexts {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamTlsContexts.class);
  private static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(
      ApplicationProtocolConfig.Protocol.ALPN,
      ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
      ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
      ApplicationProtocolNames.HTTP_1_1);
  /** For {@code protocol: h2} and {@code auto}: h2 preferred, http/1.1 accepted (auto falls back to it). */
  private static final ApplicationProtocolConfig ALPN_H2 = new ApplicationProtocolConfig(
      ApplicationProtocolConfig.Protocol.ALPN,
      ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
      ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
      ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

  private UpstreamTlsContexts() {}

  /**
   * The TLS of upstream {@code name}.
   *
   * @throws Exception when a file is missing or does not parse, or key and certificate differ
   */
  public static UpstreamTls create(UpstreamTlsConfig config, Path baseDir, long handshakeTimeoutMillis)
      throws Exception {
    check(config, baseDir); // a clear message for a key that does not match its certificate
    return new UpstreamTls(config, baseDir, context(config, baseDir), handshakeTimeoutMillis);
  }

  /** Logs, at every config load, that upstream {@code name} skips verification if it does. */
  public static void warnIfInsecure(String name, UpstreamTlsConfig config) {
    if (config != null && config.insecureSkipVerify()) {
      LOG.warn("upstream {}: tls.insecure-skip-verify is on: its certificates and names are NOT verified", name);
    }
  }

  /**
   * How long a handshake may take: the upstream's connect timeout, at least 2 s (a handshake costs
   * a few round trips and some CPU on both sides).
   */
  public static long handshakeTimeoutMillis(long connectTimeoutMillis) {
    return Math.max(connectTimeoutMillis, 2000);
  }

  static SslContext context(UpstreamTlsConfig config, Path baseDir) throws Exception {
    return context(config, baseDir, false);
  }

  /** @param h2 whether ALPN offers h2 (then http/1.1) rather than http/1.1 alone */
  static SslContext context(UpstreamTlsConfig config, Path baseDir, boolean h2) throws Exception {
    SslContextBuilder builder = SslContextBuilder.forClient()
        .protocols("TLSv1.3", "TLSv1.2")
        .applicationProtocolConfig(h2 ? ALPN_H2 : ALPN);
    if (config.insecureSkipVerify()) {
      builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
    } else {
      builder.endpointIdentificationAlgorithm("HTTPS");
      if (config.ca() != null) {
        builder.trustManager(resolve(baseDir, config.ca()).toFile());
      }
    }
    if (config.cert() != null) {
      builder.keyManager(resolve(baseDir, config.cert()).toFile(), resolve(baseDir, config.key()).toFile());
    }
    return builder.build();
  }

  /**
   * Checks the files: the CA parses, the client certificate parses and its key matches it.
   *
   * @return the CA and client certificates
   */
  static List<X509Certificate> check(UpstreamTlsConfig config, Path baseDir) throws Exception {
    List<X509Certificate> certificates = new ArrayList<>();
    if (config.ca() != null) {
      certificates.addAll(PemFiles.certificates(resolve(baseDir, config.ca())));
    }
    if (config.cert() != null) {
      certificates.addAll(PemFiles.checkPair(resolve(baseDir, config.cert()), resolve(baseDir, config.key())));
    }
    return certificates;
  }

  static List<Path> files(UpstreamTlsConfig config, Path baseDir) {
    List<Path> files = new ArrayList<>(3);
    for (String file : new String[] {config.ca(), config.cert(), config.key()}) {
      if (file != null) {
        files.add(resolve(baseDir, file));
      }
    }
    return files;
  }

  static Path resolve(Path baseDir, String file) {
    Path path = Path.of(file);
    return path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path);
  }
}
