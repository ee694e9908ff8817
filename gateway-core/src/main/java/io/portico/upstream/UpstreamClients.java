package io.portico.upstream;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * The upstream clients of one event loop: one keep-alive HttpClient per distinct
 * {@link ClientSettings}, created on first use and kept across config reloads so pools stay warm.
 * Confined to its event loop; created from the listener verticle so its connections live there.
 */
public final class UpstreamClients {
  private static final int RESPONSE_HEAD_LIMIT = 64 * 1024;

  private final Vertx vertx;
  private final Map<ClientSettings, HttpClient> clients = new HashMap<>();
  private ClientSettings lastSettings;
  private HttpClient lastClient;
  private WebSocketClient webSockets;

  public UpstreamClients(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The client for upstreams with these settings (the last one is cached: usually one kind). */
  public HttpClient client(ClientSettings settings) {
    if (settings == lastSettings) {
      return lastClient;
    }
    HttpClient client = clients.computeIfAbsent(settings, this::create);
    lastSettings = settings;
    lastClient = client;
    return client;
  }

  /** The WebSocket client of this loop. */
  public WebSocketClient webSockets() {
    if (webSockets == null) {
      webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxFrameSize(1024 * 1024)
          .setMaxMessageSize(16 * 1024 * 1024)
          .setConnectTimeout(10_000));
    }
    return webSockets;
  }

  private HttpClient create(ClientSettings settings) {
    HttpClientOptions options = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_1_1)
        .setKeepAlive(true)
        .setKeepAliveTimeout(30)
        .setPipelining(false)
        .setTcpNoDelay(true)
        .setConnectTimeout(settings.connectTimeoutMillis())
        .setDecompressionSupported(false)
        .setMaxInitialLineLength(RESPONSE_HEAD_LIMIT)
        .setMaxHeaderSize(RESPONSE_HEAD_LIMIT)
        .setMaxChunkSize(64 * 1024)
        .setShared(false);
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(settings.maxConnections());
    return vertx.httpClientBuilder().with(options).with(pool).build();
  }
}
