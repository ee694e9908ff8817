package io.portico.exchange;

import io.portico.runtime.RunningRoute;
import io.portico.spi.Endpoint;
import io.portico.spi.Reply;
import io.portico.spi.UpstreamFailure;
import io.portico.upstream.Upstream;
import io.vertx.core.MultiMap;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import java.util.Map;

/**
 * Proxies a WebSocket upgrade: connects to the upstream as a WebSocket client first, and only when
 * the upstream accepted, accepts the client's upgrade and relays frames both ways with
 * back-pressure. A close on either side closes the other with the same status.
 */
final class WebSocketRelay {
  /** What the relay reports to its exchange. */
  interface Listener {
    void webSocketRefused(Reply reply);

    void webSocketOpened();

    void webSocketClosed();
  }

  private final ProxyExchange exchange;
  private final Listener listener;
  private boolean closed;

  WebSocketRelay(ProxyExchange exchange, Listener listener) {
    this.exchange = exchange;
    this.listener = listener;
  }

  /** Whether the request asks for a WebSocket. */
  static boolean isUpgrade(ProxyExchange exchange) {
    // the full check parses Connection and Upgrade: only worth it when an upgrade is asked for
    return exchange.request.method() == io.vertx.core.http.HttpMethod.GET
        && exchange.request.headers().contains(io.vertx.core.http.HttpHeaders.UPGRADE)
        && exchange.request.canUpgradeToWebSocket();
  }

  void start() {
    RunningRoute route = exchange.route;
    Upstream target = exchange.upstream();
    Endpoint endpoint = target.pick(exchange.loop.index, exchange);
    if (endpoint == null) {
      listener.webSocketRefused(ErrorCatalog.upstream(UpstreamFailure.Kind.NO_ENDPOINT));
      return;
    }
    exchange.trace.endpoint(endpoint.address());
    exchange.trace.upstreamStarted();
    String query = exchange.query();
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(endpoint.host())
        .setPort(endpoint.port())
        .setURI(query == null ? exchange.upstreamPath() : exchange.upstreamPath() + '?' + query)
        .setConnectTimeout(target.settings().connectTimeoutMillis());
    if (route.timeoutMillis() > 0) {
      options.setTimeout(route.timeoutMillis());
    }
    copyHeaders(exchange.requestHeaders(), options);
    exchange.loop.clients.webSockets().connect(options).onComplete(ar -> {
      exchange.trace.upstreamEnded();
      if (ar.failed()) {
        listener.webSocketRefused(refusal(ar.cause(), endpoint));
        return;
      }
      WebSocketBase upstream = ar.result();
      exchange.request.toWebSocket().onComplete(accepted -> {
        if (accepted.failed()) {
          upstream.close();
          listener.webSocketClosed();
          return;
        }
        listener.webSocketOpened();
        relay(accepted.result(), upstream);
        relay(upstream, accepted.result());
      });
    });
  }

  private void relay(WebSocketBase from, WebSocketBase to) {
    from.frameHandler(frame -> {
      WebSocketFrame copy = copy(frame);
      if (copy != null && !to.isClosed()) {
        to.writeFrame(copy);
        if (to.writeQueueFull()) {
          from.pause();
          to.drainHandler(v -> from.resume());
        }
      }
    });
    from.closeHandler(v -> {
      if (!to.isClosed()) {
        Short status = from.closeStatusCode();
        to.close(status == null ? 1000 : status, from.closeReason());
      }
      ended();
    });
    from.exceptionHandler(t -> {
      to.close();
      ended();
    });
  }

  private void ended() {
    if (!closed) {
      closed = true;
      listener.webSocketClosed();
    }
  }

  private static WebSocketFrame copy(WebSocketFrame frame) {
    if (frame.isText()) {
      return WebSocketFrame.textFrame(frame.textData(), frame.isFinal());
    }
    if (frame.isBinary()) {
      return WebSocketFrame.binaryFrame(frame.binaryData().copy(), frame.isFinal());
    }
    if (frame.isContinuation()) {
      return WebSocketFrame.continuationFrame(frame.binaryData().copy(), frame.isFinal());
    }
    return null; // ping, pong and close are answered by each side itself
  }

  private static void copyHeaders(MultiMap headers, WebSocketConnectOptions options) {
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey();
      if (name.regionMatches(true, 0, "sec-websocket-", 0, 14)) {
        if (name.equalsIgnoreCase("sec-websocket-protocol")) {
          for (String protocol : header.getValue().split(",")) {
            options.addSubProtocol(protocol.trim());
          }
        }
        continue; // key, version and extensions are the client side's own business
      }
      options.addHeader(name, header.getValue());
    }
  }

  private static Reply refusal(Throwable cause, Endpoint endpoint) {
    if (cause instanceof UpgradeRejectedException rejected) {
      return Reply.status(rejected.getStatus());
    }
    return ErrorCatalog.upstream(UpstreamFailure.Kind.CONNECT_FAILURE);
  }
}
