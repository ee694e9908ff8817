package io.portico.exchange;

import io.portico.chain.ChainRunner;
import io.portico.chain.InterceptorChain;
import io.portico.grpc.GrpcAnswers;
import io.portico.spi.Reply;
import io.portico.spi.UpstreamInterceptor;
import io.portico.spi.UpstreamResponse;
import io.portico.upstream.ProxiedResponse;
import io.portico.upstream.ResponseRelay;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one exchange from its matched route to its end: request phase, upstream call wrapped by
 * the chain's interceptors, response phase, writing the answer, and {@code onComplete} exactly
 * once, also when the client goes away. Runs on the exchange's event loop.
 *
 * <p>The happy path, in the order the methods below run:
 * <ol>
 *   <li>{@link #start}: body limit by declared length, then the request phase ({@code onRequest});
 *   <li>{@link #requestPhaseDone}: the upstream call ({@link UpstreamCall}: body plan, tries and
 *       retries), wrapped by the interceptors;
 *   <li>{@code settleUpstream}: the upstream's answer (or the error reply), then the response
 *       phase ({@code onResponse}, in reverse);
 *   <li>{@link #responsePhaseDone} and {@code write}: the head, then the body relayed (or the
 *       reply written);
 *   <li>{@code finish}: counts, connection, and {@code onComplete} exactly once.
 * </ol>
 * A plugin's {@link Reply} ({@link #requestReplied}) or a failure ({@link #phaseFailed}) joins the
 * path at the response phase or at {@code write}.
 */
final class ExchangeDriver implements ChainRunner.Listener, WebSocketUpgrade.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(ExchangeDriver.class);

  private final ProxyExchange exchange;
  private final ChainRunner chain;
  private final UpstreamCall call;
  private Reply answer;
  private ProxiedResponse upstream;
  private ResponseRelay relay;
  private boolean bodyTooLarge;
  private boolean headWritten;
  private boolean finished;
  private GrpcDeadline deadline;
  private io.portico.upstream.grpcweb.GrpcWebMode grpcWeb;

  ExchangeDriver(ProxyExchange exchange) {
    this.exchange = exchange;
    this.chain = new ChainRunner(exchange.route.chain(), exchange, this);
    this.call = new UpstreamCall(exchange, this::onBodyTooLarge);
  }

  void start() {
    HttpServerResponse response = exchange.request.response();
    response.closeHandler(v -> clientGone());
    response.exceptionHandler(t -> clientGone());
    grpcWeb = GrpcWebExchange.start(exchange);
    if (exchange.declaredLength > exchange.routeLimit()) {
      use(ErrorCatalog.BODY_TOO_LARGE);
      write();
      return;
    }
    if (exchange.grpc != null && exchange.grpc.invalidTimeout()) {
      use(GrpcAnswers.BAD_TIMEOUT);
      write();
      return;
    }
    chain.runRequest();
  }

  @Override
  public void requestPhaseDone() {
    if (WebSocketUpgrade.isUpgrade(exchange)) {
      new WebSocketUpgrade(exchange, this).start();
      return;
    }
    UpstreamInterceptor[] interceptors = exchange.route.chain().interceptors();
    Future<UpstreamResponse> response = interceptors.length == 0
        ? call.attempt()
        : InterceptorChain.run(exchange.route.chain(), exchange, call::attempt);
    if (response.isComplete()) {
      upstreamDone(response);
    } else {
      response.onComplete(ar -> {
        if (Thread.currentThread() == exchange.loop.thread) {
          upstreamDone(ar);
        } else {
          exchange.context.runOnContext(v -> upstreamDone(ar));
        }
      });
    }
  }

  private void upstreamDone(AsyncResult<UpstreamResponse> result) {
    try {
      settleUpstream(result);
    } catch (RuntimeException e) {
      internalError(e);
    }
  }

  private void settleUpstream(AsyncResult<UpstreamResponse> result) {
    exchange.trace.upstreamEnded();
    ProxiedResponse obtained = call.obtained();
    if (finished) {
      if (obtained != null) {
        obtained.discard();
      }
      return;
    }
    if (result.failed()) {
      call.stopBody();
      Reply reply = bodyTooLarge ? ErrorCatalog.BODY_TOO_LARGE : ErrorCatalog.forFailure(result.cause());
      if (exchange.grpc != null && exchange.grpc.deadlineReached() && !bodyTooLarge) {
        // the upstream giving up on the call's deadline (resetting the stream) or a try cut short
        // by it: the caller hears DEADLINE_EXCEEDED, not UNAVAILABLE
        reply = GrpcAnswers.DEADLINE_EXCEEDED;
      }
      if (reply == ErrorCatalog.PLUGIN_ERROR) {
        LOG.warn("route {}: upstream interceptor failed", exchange.routeName(), result.cause());
      } else {
        LOG.debug("route {}: {}", exchange.routeName(), result.cause().getMessage());
        exchange.trace.errorDetail(result.cause().getMessage()); // e.g. why a TLS handshake failed
      }
      use(reply);
    } else if (result.result() == obtained && obtained != null) {
      upstream = obtained;
      AnswerWriter.useUpstream(exchange, obtained);
    } else {
      if (obtained != null) {
        obtained.discard(); // an interceptor answered instead of the upstream's answer
      }
      Reply fallback = result.result() == null ? null : result.result().reply();
      use(fallback != null ? fallback : ErrorCatalog.PLUGIN_ERROR);
    }
    chain.runResponse();
  }

  @Override
  public void requestReplied(Reply reply) {
    use(reply);
    chain.runResponse();
  }

  @Override
  public void responseReplaced(Reply reply) {
    dropUpstreamAnswer();
    use(reply);
  }

  @Override
  public void responsePhaseDone() {
    write();
  }

  @Override
  public void phaseFailed(Throwable cause) {
    call.stopBody();
    dropUpstreamAnswer();
    use(ErrorCatalog.forFailure(cause));
    write();
  }

  @Override
  public void webSocketRefused(Reply reply) {
    use(reply);
    write();
  }

  @Override
  public void webSocketOpened() {
    headWritten = true;
    exchange.answeredWith(101);
  }

  @Override
  public void webSocketClosed() {
    finish();
  }

  @Override
  public boolean finished() {
    return finished;
  }

  @Override
  public void onLoop(Runnable task) {
    exchange.loop.execute(exchange.context, task);
  }

  @Override
  public long phaseTimeoutMillis() {
    long route = exchange.route.timeoutMillis(); // a plugin may not wait longer than the upstream may
    return exchange.grpc == null ? route : exchange.grpc.callTimeoutMillis(route);
  }

  private void use(Reply reply) {
    answer = reply;
    AnswerWriter.useReply(exchange, reply);
  }

  private void dropUpstreamAnswer() {
    if (upstream != null) {
      upstream.discard();
      upstream = null;
    }
  }

  private void write() {
    if (finished) {
      return;
    }
    if (bodyTooLarge && upstream != null) {
      dropUpstreamAnswer();
      use(ErrorCatalog.BODY_TOO_LARGE);
    }
    headWritten = true;
    if (upstream != null) {
      var translation = grpcWeb == null ? null : GrpcWebExchange.answer(exchange, grpcWeb);
      HttpServerResponse response = AnswerWriter.startUpstreamBody(exchange);
      relay = new ResponseRelay(response, v -> finish(), cause -> {
        LOG.debug("route {}: upstream broke off the answer body: {}", exchange.routeName(), cause.toString());
        response.reset();
        if (exchange.grpc != null) {
          exchange.grpc.cutShort();
        }
        finish();
      });
      relay.start(upstream, translation);
      deadline = GrpcDeadline.armAfterHead(exchange, relay, this::finish);
    } else {
      if (grpcWeb != null) {
        GrpcWebExchange.answer(exchange, grpcWeb); // a gRPC reply's head (trailers-only) in gRPC-Web's content type
      }
      AnswerWriter.writeReply(exchange, answer).onComplete(ar -> finish());
    }
  }

  /**
   * A failure of the gateway itself (not of a plugin or the upstream): answers 500 when the head
   * is not out yet, else cuts the exchange. Either way the exchange ends, so nothing hangs.
   */
  void internalError(RuntimeException cause) {
    LOG.error("route {}: exchange {} failed in the gateway", exchange.routeName(), exchange.requestId(), cause);
    if (finished) {
      return;
    }
    call.abort();
    dropUpstreamAnswer();
    if (!headWritten) {
      use(ErrorCatalog.INTERNAL_ERROR);
      write();
    } else {
      exchange.request.response().reset();
      finish();
    }
  }

  /** The streamed request body went past the limit. */
  private void onBodyTooLarge() {
    bodyTooLarge = true;
    if (headWritten) {
      exchange.request.response().reset(); // too late for a 413: cut the exchange
      clientGone();
    } else {
      call.abort(); // a pending upstream call fails, and the answer becomes the 413
    }
  }

  /**
   * The client connection closed, or (HTTP/2) the stream closed, which also happens right after a
   * complete answer: then there is nothing to abort.
   */
  private void clientGone() {
    if (finished) {
      return;
    }
    if (relay != null && relay.ended()) {
      finish();
      return;
    }
    call.abort();
    if (relay != null) {
      relay.abort();
    }
    dropUpstreamAnswer();
    if (exchange.grpc != null && relay != null) {
      exchange.grpc.cutShort(); // the upstream's answer was cut mid-body (a reply's own status stands)
    }
    finish();
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (deadline != null) {
      deadline.cancel();
    }
    if (exchange.grpc != null) {
      GrpcDeadline.recordStatus(exchange, headWritten);
    }
    if (relay != null) {
      exchange.trace.bytesSent(relay.sent());
    }
    call.recordBytes();
    if (headWritten && "close".equals(exchange.request.response().headers().get(HttpHeaders.CONNECTION))) {
      exchange.request.connection().close();
    }
    exchange.loop.runtime.exchangeEnded();
    if (exchange.route.chain().size() > 0) {
      chain.complete(new ExchangeRecord(exchange, headWritten ? exchange.status() : 0, chain));
    }
  }
}
