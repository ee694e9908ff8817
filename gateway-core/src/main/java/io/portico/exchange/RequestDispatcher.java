package io.portico.exchange;

import io.portico.route.BadPathException;
import io.portico.route.PathNormalizer;
import io.portico.route.RouteMatch;
import io.portico.runtime.RunningRoute;
import io.portico.runtime.CompiledConfig;
import io.portico.grpc.GrpcAnswers;
import io.portico.grpc.GrpcProtocol;
import io.portico.spi.Reply;
import io.portico.upstream.HeaderPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * The entry of every request on one event loop: reads the current snapshot once, checks the head,
 * normalises the path, matches a route and hands the exchange to its driver. Requests that match
 * nothing are answered here; those the decoder or the framing guard refused never get here
 * ({@code server.RefusedRequests} answers them).
 */
public final class RequestDispatcher {
  private final Loop loop;

  public RequestDispatcher(Loop loop) {
    this.loop = loop;
  }

  public void handle(HttpServerRequest request) {
    CompiledConfig snapshot = loop.runtime.snapshot();
    String requestId = loop.ids.resolve(request.getHeader(HeaderPolicy.X_REQUEST_ID));
    if (loop.runtime.overload().shedding()) {
      loop.runtime.overload().requestShed();
      shed(request, requestId);
      return;
    }
    if (request.version() == HttpVersion.HTTP_2 && request.headers().size() > loop.runtime.limits().maxHeaders()) {
      reject(request, ErrorCatalog.TOO_MANY_HEADERS, requestId);
      return;
    }
    if (!HostRules.accept(request)) {
      reject(request, ErrorCatalog.BAD_HOST, requestId);
      return;
    }
    String path;
    try {
      path = PathNormalizer.normalize(request.path());
    } catch (BadPathException e) {
      reject(request, ErrorCatalog.BAD_PATH, requestId);
      return;
    }
    ProxyExchange exchange = new ProxyExchange(request, loop, snapshot, Vertx.currentContext(), requestId, path);
    if ((exchange.hasBody || request.canUpgradeToWebSocket()) && !request.isEnded()) {
      request.pause(); // the body (or the upgrade) waits until the upstream is ready
    }
    RouteMatch<RunningRoute> match = snapshot.routes().match(exchange);
    if (match == null) {
      reject(request, ErrorCatalog.NO_ROUTE, requestId);
      return;
    }
    exchange = GrpcWebExchange.translated(exchange, match.route()); // a gRPC-Web text body is decoded as it is read
    exchange.route(match.route(), match.upstreamPath());
    loop.runtime.exchangeStarted();
    ExchangeDriver driver = new ExchangeDriver(exchange);
    try {
      driver.start();
    } catch (RuntimeException e) {
      driver.internalError(e);
    }
  }

  private void reject(HttpServerRequest request, Reply reply, String requestId) {
    HttpServerResponse response = request.response();
    boolean unreadBody = request.version() != HttpVersion.HTTP_2 && RequestFraming.hasBody(request);
    if (unreadBody || loop.runtime.draining()) {
      response.headers().set("connection", "close");
      write(request, reply, requestId).onComplete(ar -> request.connection().close());
    } else {
      if (!request.isEnded()) {
        request.resume();
      }
      write(request, reply, requestId);
    }
  }

  /**
   * {@code 503 overloaded}, and an HTTP/1 connection closed: the client is to come back later, or
   * elsewhere. The request body is not read.
   */
  private static void shed(HttpServerRequest request, String requestId) {
    HttpServerResponse response = request.response();
    if (request.version() == HttpVersion.HTTP_2) { // no connection header in HTTP/2; the other streams finish
      write(request, ErrorCatalog.OVERLOADED, requestId);
      return;
    }
    response.headers().set("connection", "close");
    write(request, ErrorCatalog.OVERLOADED, requestId).onComplete(ar -> request.connection().close());
  }

  private static io.vertx.core.Future<Void> write(HttpServerRequest request, Reply reply, String requestId) {
    HttpServerResponse response = request.response();
    if (GrpcProtocol.isGrpc(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
      // a gRPC client reads only gRPC statuses: a trailers-only answer (no route: UNIMPLEMENTED)
      GrpcAnswers.writeHead(reply, response.headers());
      return response.setStatusCode(200).end();
    }
    response.setStatusCode(reply.status());
    response.headers().set("content-type", "application/json");
    return response.end(ErrorCatalog.render(reply, requestId));
  }
}
