package io.portico.server;

import io.portico.config.TlsConfig;
import io.portico.runtime.GatewayRuntime;
import io.portico.tls.PemFiles;
import io.portico.tls.WatchedTls;
import io.portico.upstream.Upstream;
import io.portico.upstream.UpstreamTls;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The TLS material of a running gateway that is watched for rotation: the listener's and the upstreams'. */
public final class TlsSources {
  private static final Logger LOG = LoggerFactory.getLogger(TlsSources.class);

  private TlsSources() {}

  /** What to watch now: the listener's certificates and every upstream TLS block with files. */
  public static List<WatchedTls> of(GatewayRuntime runtime, List<ListenerVerticle> listeners) {
    List<WatchedTls> sources = new ArrayList<>();
    TlsConfig listen = runtime.listen().tls();
    if (listen != null) {
      sources.add(new Edge(listen, runtime.snapshot().config().baseDir(), runtime, listeners));
    }
    for (Upstream upstream : runtime.snapshot().upstreams().values()) {
      UpstreamTls tls = upstream.settings().tls();
      if (tls != null && !tls.files().isEmpty()) {
        sources.add(new UpstreamSource("upstream:" + upstream.name(), tls));
      }
    }
    return sources;
  }

  /** The listener: every certificate/key pair and the client CA, swapped in on all listeners at once. */
  private record Edge(TlsConfig tls, Path baseDir, Object owner, List<ListenerVerticle> listeners) implements WatchedTls {
    @Override
    public String source() {
      return "listen";
    }

    @Override
    public List<Path> files() {
      List<Path> files = new ArrayList<>();
      for (TlsConfig.CertificateConfig certificate : tls.all()) {
        files.add(Path.of(EdgeTls.resolve(baseDir, certificate.cert())));
        files.add(Path.of(EdgeTls.resolve(baseDir, certificate.key())));
      }
      if (EdgeTls.clientAuth(tls) != io.vertx.core.http.ClientAuth.NONE) {
        files.add(Path.of(EdgeTls.resolve(baseDir, tls.clientAuth().ca())));
      }
      return files;
    }

    @Override
    public List<X509Certificate> certificates() throws Exception {
      List<X509Certificate> certificates = new ArrayList<>();
      for (TlsConfig.CertificateConfig certificate : tls.all()) {
        certificates.add(PemFiles.certificates(Path.of(EdgeTls.resolve(baseDir, certificate.cert()))).get(0));
      }
      if (EdgeTls.clientAuth(tls) != io.vertx.core.http.ClientAuth.NONE) {
        certificates.addAll(PemFiles.certificates(Path.of(EdgeTls.resolve(baseDir, tls.clientAuth().ca()))));
      }
      return certificates;
    }

    @Override
    public List<X509Certificate> reload() throws Exception {
      // read each file once, check what was read, and hand exactly those bytes to the listeners
      PemKeyCertOptions keyCerts = new PemKeyCertOptions();
      for (TlsConfig.CertificateConfig certificate : tls.all()) {
        Path cert = Path.of(EdgeTls.resolve(baseDir, certificate.cert()));
        Path key = Path.of(EdgeTls.resolve(baseDir, certificate.key()));
        byte[] certBytes = Files.readAllBytes(cert);
        byte[] keyBytes = Files.readAllBytes(key);
        PemFiles.checkPair(cert, key);
        keyCerts.addCertValue(Buffer.buffer(certBytes)).addKeyValue(Buffer.buffer(keyBytes));
      }
      ServerSSLOptions options = EdgeTls.sslOptions(tls, baseDir).setKeyCertOptions(keyCerts);
      if (EdgeTls.clientAuth(tls) != io.vertx.core.http.ClientAuth.NONE) {
        Path ca = Path.of(EdgeTls.resolve(baseDir, tls.clientAuth().ca()));
        byte[] caBytes = Files.readAllBytes(ca);
        PemFiles.certificates(ca);
        options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(caBytes)));
      }
      // the files were checked above; the listeners swap them in on their own threads (never wait
      // for that here: an update may need an event loop that is waiting for this worker)
      for (ListenerVerticle listener : listeners) {
        listener.updateTls(options).onFailure(e -> LOG.error("listen: new certificates refused: {}", e.getMessage()));
      }
      return certificates();
    }
  }

  private record UpstreamSource(String source, UpstreamTls tls) implements WatchedTls {
    @Override
    public Object owner() {
      return tls;
    }

    @Override
    public List<Path> files() {
      return tls.files();
    }

    @Override
    public List<X509Certificate> certificates() throws Exception {
      return tls.certificates();
    }

    @Override
    public List<X509Certificate> reload() throws Exception {
      return tls.reload();
    }
  }
}
