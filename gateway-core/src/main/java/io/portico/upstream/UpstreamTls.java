package io.portico.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.portico.config.UpstreamTlsConfig;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The TLS client side of one upstream: one {@link SslContext} shared by all its connections, so the
 * context's session cache lets a new connection resume an earlier session, and the handshake is
 * paid once per pooled connection. The context can be replaced (a rotated certificate or CA): new
 * connections use the new one, open connections keep theirs. Thread-safe.
 */
public final class UpstreamTls {
  private final UpstreamTlsConfig config;
  private final Path baseDir;
  private final String serverName;
  private final long handshakeTimeoutMillis;
  private volatile SslContext context;
  /** Offers h2 by ALPN; built on first use by an HTTP/2 upstream, so HTTP/1.1 ones never pay for it. */
  private volatile SslContext h2Context;

  /**
   * @param config the {@code tls:} block it was built from
   * @param baseDir directory relative file names resolve against
   * @param handshakeTimeoutMillis how long a handshake may take before the try fails
   */
  UpstreamTls(UpstreamTlsConfig config, Path baseDir, SslContext context, long handshakeTimeoutMillis) {
    this.config = config;
    this.baseDir = baseDir;
    this.serverName = config.serverName();
    this.context = context;
    this.handshakeTimeoutMillis = handshakeTimeoutMillis;
  }

  public UpstreamTlsConfig config() {
    return config;
  }

  /** Whether this was built from {@code other} with files relative to {@code dir}: then it can be kept. */
  public boolean builtFrom(UpstreamTlsConfig other, Path dir, long handshakeTimeout) {
    return config.equals(other) && java.util.Objects.equals(baseDir, dir) && handshakeTimeoutMillis == handshakeTimeout;
  }

  /** The files this context was read from (CA, certificate, key), resolved, for watching. */
  public List<Path> files() {
    return UpstreamTlsContexts.files(config, baseDir);
  }

  /** The CA and client certificates in use (for the expiry metric). */
  public List<X509Certificate> certificates() throws Exception {
    return UpstreamTlsContexts.check(config, baseDir);
  }

  /**
   * Reads and checks the files again; when they are usable new connections use them, else this
   * throws and the current context stays.
   */
  public List<X509Certificate> reload() throws Exception {
    List<X509Certificate> certificates = UpstreamTlsContexts.check(config, baseDir);
    this.context = UpstreamTlsContexts.context(config, baseDir);
    if (h2Context != null) {
      this.h2Context = UpstreamTlsContexts.context(config, baseDir, true);
    }
    return certificates;
  }

  /**
   * A handler for a new connection to {@code host:port}: SNI and host name verification use the
   * configured server name, else the endpoint's host.
   */
  SslHandler newHandler(ByteBufAllocator allocator, String host, int port) {
    return handler(context, allocator, host, port);
  }

  /** Like {@link #newHandler}, with ALPN offering h2 first; see {@link #prepareHttp2}. */
  SslHandler newHttp2Handler(ByteBufAllocator allocator, String host, int port) {
    return handler(h2Context, allocator, host, port);
  }

  /**
   * Builds the context that offers h2, once: call at config load, off the event loop, for an
   * upstream whose protocol is {@code h2} or {@code auto}.
   */
  public void prepareHttp2() throws Exception {
    if (h2Context == null) {
      h2Context = UpstreamTlsContexts.context(config, baseDir, true);
    }
  }

  private SslHandler handler(SslContext with, ByteBufAllocator allocator, String host, int port) {
    SslHandler handler = with.newHandler(allocator, serverName != null ? serverName : host, port);
    handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
    return handler;
  }
}
