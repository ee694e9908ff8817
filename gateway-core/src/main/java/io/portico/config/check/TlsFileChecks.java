package io.portico.config.check;

import io.portico.config.NodePaths;
import io.portico.config.TlsConfig;
import io.portico.config.UpstreamTlsConfig;
import io.portico.config.GatewayConfig;
import io.portico.config.UpstreamConfig;
import io.portico.config.bind.ConfigProblems;

import io.portico.tls.PemFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks the files the {@code tls:} blocks name: each exists and parses, and each private key
 * belongs to its certificate, so a broken pair is reported at validation with its file names
 * rather than as failing handshakes. Reads files: runs where configs load, off the event loops.
 */
public final class TlsFileChecks {
  private final ConfigProblems problems;
  private final Path baseDir;

  public TlsFileChecks(ConfigProblems problems, Path baseDir) {
    this.problems = problems;
    this.baseDir = baseDir;
  }

  public void check(GatewayConfig gateway, List<UpstreamConfig> upstreams) {
    TlsConfig listen = gateway == null ? null : gateway.listen().tls();
    if (listen != null) {
      List<TlsConfig.CertificateConfig> all = listen.all();
      boolean single = listen.cert() != null || listen.key() != null;
      for (int i = 0; i < all.size(); i++) {
        String at = single && i == 0 ? "listen.tls" : NodePaths.index("listen.tls.certificates", single ? i - 1 : i);
        pair(at, all.get(i).cert(), all.get(i).key());
      }
      if (!"none".equals(listen.clientAuth().mode()) && listen.clientAuth().ca() != null) {
        certificates("listen.tls.client-auth.ca", listen.clientAuth().ca());
      }
    }
    for (int i = 0; i < upstreams.size(); i++) {
      UpstreamConfig upstream = upstreams.get(i);
      if (upstream == null || upstream.tls() == null) {
        continue;
      }
      String at = NodePaths.key(NodePaths.index("upstreams", i), "tls");
      if (upstream.tls().ca() != null) {
        certificates(NodePaths.key(at, "ca"), upstream.tls().ca());
      }
      pair(at, upstream.tls().cert(), upstream.tls().key());
    }
  }

  private void pair(String at, String cert, String key) {
    if (cert == null || key == null) {
      return; // reported by TlsChecks
    }
    try {
      PemFiles.checkPair(resolve(cert), resolve(key));
    } catch (Exception e) {
      problems.add(at, e.getMessage());
    }
  }

  private void certificates(String at, String file) {
    try {
      PemFiles.certificates(resolve(file));
    } catch (Exception e) {
      problems.add(at, e.getMessage());
    }
  }

  private Path resolve(String file) {
    Path path = Path.of(file);
    return path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path);
  }
}
