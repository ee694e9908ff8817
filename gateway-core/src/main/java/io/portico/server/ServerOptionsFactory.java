package io.portico.server;

import io.portico.config.LimitsConfig;
import io.portico.config.ListenConfig;
import io.portico.config.TlsConfig;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The Vert.x options of the client-facing listener. */
final class ServerOptionsFactory {
  /** Netty's own limits stay a little above the guard's, so the guard is the one that answers. */
  private static final int DECODER_SLACK = 64;

  private ServerOptionsFactory() {}

  /**
   * @param port the port to bind; negative for a free port that all servers given the same
   *     negative number share (Vert.x's convention), see {@link GatewayRuntime#bindPort()}
   */
  static HttpServerOptions create(ListenConfig listen, int port, LimitsConfig limits, Path baseDir) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(listen.host())
        .setPort(port)
        .setTcpNoDelay(true)
        .setIdleTimeout((int) limits.idleTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMaxInitialLineLength(limits.maxRequestLine() + DECODER_SLACK)
        .setMaxHeaderSize(limits.maxHeaderSize() + DECODER_SLACK)
        .setMaxChunkSize(64 * 1024)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setHandle100ContinueAutomatically(false)
        // frames are relayed as they come; compression would also put an extension handler on
        // every HTTP/1 connection's write path
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        // every exchange touches its connection only from the connection's event loop, so writes
        // can skip the cross-thread queue
        .setStrictThreadMode(true)
        .setInitialSettings(new Http2Settings().setMaxHeaderListSize(limits.maxHeaderSize()));
    TlsConfig tls = listen.tls();
    if (tls != null) {
      EdgeTls.apply(options, tls, baseDir);
    } else {
      options.setHttp2ClearTextEnabled(true);
    }
    return options;
  }
}
