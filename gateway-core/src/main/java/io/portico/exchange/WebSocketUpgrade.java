package io.portico.exchange;

import io.portico.config.WebSocketConfig;
import io.portico.spi.Endpoint;
import io.portico.spi.Reply;
import io.portico.spi.UpstreamFailure;
import io.portico.upstream.HeaderPolicy;
import io.portico.upstream.Upstream;
import io.portico.upstream.websocket.Handshake;
import io.portico.upstream.websocket.TunnelChannels;
import io.portico.upstream.websocket.TunnelLog;
import io.portico.upstream.websocket.WebSocketMeters;
import io.portico.upstream.websocket.WebSocketTunnel;
import io.portico.upstream.websocket.WebSocketTunnels;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proxies a WebSocket upgrade whose request went through the route's request chain: sends the
 * client's handshake (subprotocols and extensions as offered) to an endpoint on a connection of its
 * own, checks the upstream's 101 against the request, answers the client with the upstream's
 * choice, and then hands both connections to a {@link WebSocketTunnel}. An answer other than 101 is
 * passed to the client as the upstream gave it.
 */
final class WebSocketUpgrade {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketUpgrade.class);

  /** What the upgrade reports to its exchange. */
  interface Listener {
    /** The gateway answers instead (no tunnel): write {@code reply}. */
    void webSocketRefused(Reply reply);

    /** The 101 went to the client: the exchange's head is written. */
    void webSocketOpened();

    /** The tunnel (or the failed switch) ended; the exchange is complete. */
    void webSocketClosed();
  }

  private final ProxyExchange exchange;
  private final Listener listener;
  private final WebSocketTunnels tunnels;
  private final WebSocketMeters.Route meters;
  /** Whether the client has its answer (or a timeout answered it): a late upstream answer is dropped. */
  private boolean answered;

  WebSocketUpgrade(ProxyExchange exchange, Listener listener) {
    this.exchange = exchange;
    this.listener = listener;
    this.tunnels = exchange.loop.runtime.webSockets();
    this.meters = tunnels.meters().route(exchange.routeName());
  }

  /** Whether the request asks for a WebSocket. */
  static boolean isUpgrade(ProxyExchange exchange) {
    // the full check parses Connection and Upgrade: only worth it when an upgrade is asked for
    return exchange.request.method() == HttpMethod.GET
        && exchange.request.headers().contains(HttpHeaders.UPGRADE)
        && exchange.request.canUpgradeToWebSocket();
  }

  void start() {
    WebSocketConfig settings = exchange.route.config().websocket();
    if (settings != null && !settings.enabled()) {
      listener.webSocketRefused(ErrorCatalog.WEBSOCKET_DISABLED);
      return;
    }
    if (!Handshake.isWebSocketUpgrade(exchange.request.headers())) {
      listener.webSocketRefused(ErrorCatalog.BAD_REQUEST);
      return;
    }
    if (!tunnels.tryReserve()) {
      meters.upgrade(WebSocketMeters.OVER_LIMIT);
      listener.webSocketRefused(ErrorCatalog.WEBSOCKET_LIMIT);
      return;
    }
    Upstream target = exchange.upstream();
    Endpoint endpoint = target.pick(exchange.loop.index, exchange);
    if (endpoint == null) {
      fail(ErrorCatalog.upstream(UpstreamFailure.Kind.NO_ENDPOINT));
      return;
    }
    exchange.trace.endpoint(endpoint.address());
    exchange.trace.upstreamStarted();
    String query = exchange.query();
    MultiMap headers = HttpHeaders.headers();
    exchange.writeTo(headers); // as plugins left them, hop-by-hop headers dropped
    headers.set(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE).set(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET);
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(endpoint.host())
        .setPort(endpoint.port())
        .setURI(query == null ? exchange.upstreamPath() : exchange.upstreamPath() + '?' + query)
        .setHeaders(headers)
        .setConnectTimeout(target.settings().connectTimeoutMillis());
    long timeout = exchange.route.timeoutMillis();
    long timer = timeout > 0 ? exchange.context.owner().setTimer(timeout, id -> timedOut()) : -1;
    exchange.loop.clients.tunnels(exchange.snapshot.config().gateway().limits().maxWebsockets()).request(options)
        .compose(request -> {
          request.exceptionHandler(t -> { }); // a tunnel's end is its socket's close, reported there
          if (exchange.request.authority() != null) {
            request.authority(exchange.request.authority());
          }
          return request.connect();
        })
        .onComplete(ar -> {
          exchange.context.owner().cancelTimer(timer);
          exchange.trace.upstreamEnded();
          if (answered) {
            if (ar.succeeded()) {
              ar.result().request().connection().close(); // too late: the client got its 504
            }
          } else if (ar.failed()) {
            LOG.debug("route {}: upgrade to {} failed: {}", exchange.routeName(), endpoint.address(), ar.cause().toString());
            fail(ErrorCatalog.upstream(UpstreamFailure.Kind.CONNECT_FAILURE));
          } else {
            upstreamAnswered(ar.result());
          }
        });
  }

  private void timedOut() {
    if (!answered) {
      fail(ErrorCatalog.upstream(UpstreamFailure.Kind.TIMEOUT));
    }
  }

  private void upstreamAnswered(HttpClientResponse response) {
    if (response.statusCode() != 101) {
      passRefusal(response);
      return;
    }
    String mismatch = Handshake.mismatch(exchange.request.headers(), response.headers());
    if (mismatch != null) {
      LOG.warn("route {}: refused the upstream's 101: {}", exchange.routeName(), mismatch);
      response.netSocket().close();
      fail(ErrorCatalog.BAD_UPGRADE);
      return;
    }
    NetSocket upstream = response.netSocket();
    upstream.pause(); // until the tunnel reads it
    answered = true;
    HttpServerResponse answer = exchange.request.response();
    HeaderPolicy.copyResponseHeaders(response.headers(), answer.headers());
    answer.setStatusCode(101);
    answer.headers().set(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE).set(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET);
    exchange.request.toNetSocket().onComplete(switched -> {
      if (switched.failed()) {
        upstream.close();
        tunnels.release();
        meters.upgrade(WebSocketMeters.FAILED);
        listener.webSocketClosed();
        return;
      }
      meters.upgrade(WebSocketMeters.OPENED);
      listener.webSocketOpened();
      open(switched.result(), upstream, response);
    });
  }

  private void open(NetSocket client, NetSocket upstream, HttpClientResponse response) {
    TunnelChannels channels = TunnelChannels.of(client, response);
    // the listener's keep-alive idle timeout would cut the tunnel: the tunnel keeps its own
    channels.dropListenerIdleTimeout();
    WebSocketConfig settings = exchange.route.config().websocket();
    long idle = (settings != null && settings.idleTimeout() != null
        ? settings.idleTimeout()
        : exchange.snapshot.config().gateway().limits().idleTimeout()).toMillis();
    WebSocketTunnel[] tunnel = new WebSocketTunnel[1];
    tunnel[0] = new WebSocketTunnel(client, upstream, exchange.context, exchange.routeName(), meters, idle, end -> {
      tunnels.closed(tunnel[0], meters);
      exchange.trace.bytesReceived(end.bytesToUpstream());
      exchange.trace.bytesSent(end.bytesToClient());
      TunnelLog.closed(exchange.routeName(), exchange.requestId(), exchange.clientIp(), exchange.trace.endpoint(), end);
      listener.webSocketClosed();
    }, channels::closeNow);
    tunnels.opened(tunnel[0], meters);
    tunnel[0].start();
    upstream.resume();
  }

  /** The upstream declined the upgrade: its status, headers and (a bounded) body go to the client. */
  private void passRefusal(HttpClientResponse response) {
    answered = true;
    tunnels.release();
    meters.upgrade(WebSocketMeters.REFUSED);
    UpgradeRefusal.of(response).onComplete(ar -> listener.webSocketRefused(ar.result()));
  }

  private void fail(Reply reply) {
    answered = true;
    tunnels.release();
    meters.upgrade(WebSocketMeters.FAILED);
    listener.webSocketRefused(reply);
  }
}
