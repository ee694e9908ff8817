package io.portico.tls;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * TLS material read from files that {@link TlsFileWatcher} watches: the listener's certificates,
 * or one upstream's CA and client certificate. Methods are called off the event loops.
 */
public interface WatchedTls {
  /** Names it in logs and in the expiry metric, e.g. {@code listen} or {@code upstream:billing}. */
  String source();

  /** The object that uses the files; a new owner under the same source starts watching afresh. */
  Object owner();

  /** The files to watch. */
  List<Path> files();

  /** The certificates in use now (for the expiry metric). */
  List<X509Certificate> certificates() throws Exception;

  /**
   * Reads and checks the files and, when they are usable, makes new connections use them; open
   * connections keep what they negotiated.
   *
   * @return the certificates now in use
   * @throws Exception when the files are not usable: what was in use stays
   */
  List<X509Certificate> reload() throws Exception;
}
