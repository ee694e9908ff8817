package io.portico.upstream;

import io.portico.spi.UpstreamResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route's {@code mirror}: sends a copy of its requests to another upstream and throws the answer
 * away. A copy has the method, path and headers the upstream is sent, plus {@code X-Mirrored: true},
 * and goes on the exchange's event loop through that loop's connection pools, like any try.
 *
 * <p>The client never waits for it: the copy leaves on a later turn of the loop than the client's
 * own try, its answer body is drained and released (so the connection goes back to its pool), one
 * deadline bounds it from start to the end of the answer, and a failure is only logged at debug
 * level. Only requests without a body or whose body a plugin buffered are copied; a streamed body
 * goes to the upstream only. {@code percent} copies are made per event loop, evenly spread, and at
 * most the mirror upstream's {@code max-connections} are in flight per loop: beyond that, copies
 * are skipped rather than queued, so a stalled mirror holds no more than that.
 *
 * <p>Shared by the event loops; each loop touches only its own state.
 */
public final class RequestMirror {
  private static final Logger LOG = LoggerFactory.getLogger(RequestMirror.class);
  public static final String HEADER = "x-mirrored";

  /** The state of one event loop; the padding keeps two loops' counters off one cache line. */
  private static final class LoopState {
    int credit;
    int inFlight;
    @SuppressWarnings("unused")
    long p1, p2, p3, p4, p5, p6, p7;
  }

  private final String route;
  private final Upstream upstream;
  private final int percent;
  private final long timeoutMillis;
  private final LoopState[] loops;

  /**
   * @param percent share of the requests copied, 0 to 100
   * @param timeoutMillis deadline of a copy, from its start to the end of its answer
   * @param loops event loops that mirror
   */
  public RequestMirror(String route, Upstream upstream, int percent, long timeoutMillis, int loops) {
    this.route = route;
    this.upstream = upstream;
    this.percent = percent;
    this.timeoutMillis = timeoutMillis;
    this.loops = new LoopState[Math.max(loops, 1)];
    for (int i = 0; i < this.loops.length; i++) {
      this.loops[i] = new LoopState();
    }
  }

  /** The route that mirrors, for log lines. */
  public String route() {
    return route;
  }

  public Upstream upstream() {
    return upstream;
  }

  /** Whether the next request of event loop {@code loop} is one of the {@code percent} copied. */
  public boolean sampled(int loop) {
    return sampled(loops[loop]);
  }

  /** Whether event loop {@code loop} already has {@code max-connections} copies in flight. */
  public boolean full(int loop) {
    return loops[loop].inFlight >= upstream.settings().maxConnections();
  }

  /**
   * A copy of one request, counted in flight on event loop {@code loop} until it ends; it leaves
   * when the caller {@linkplain Copy#send sends} its body.
   */
  public Copy newCopy(int loop, Context context, Deadlines deadlines, String requestId, HttpMethod method, String uri,
      String authority, MultiMap headers, ConnectionPool pool) {
    LoopState state = loops[loop];
    Copy copy = new Copy(state, context, deadlines, requestId, method, uri, authority, headers, pool);
    state.inFlight++; // until the copy ends
    return copy;
  }

  /** Whether this request is one of the {@code percent} copied, spread evenly. */
  private boolean sampled(LoopState state) {
    if (percent >= 100) {
      return true;
    }
    state.credit += percent;
    if (state.credit >= 100) {
      state.credit -= 100;
      return true;
    }
    return false;
  }

  /** One copy in flight: its try, and the deadline that ends it, answer body included. */
  public final class Copy extends Deadlines.Deadline implements ResponseSink {
    private final LoopState state;
    private final Context context;
    private final Deadlines deadlines;
    private final String requestId;
    private final HttpMethod method;
    private final String uri;
    private final String authority;
    private final MultiMap headers;
    private final ConnectionPool pool;
    private UpstreamAttempt attempt;
    private boolean over;

    Copy(LoopState state, Context context, Deadlines deadlines, String requestId, HttpMethod method, String uri,
        String authority, MultiMap headers, ConnectionPool pool) {
      this.state = state;
      this.context = context;
      this.deadlines = deadlines;
      this.requestId = requestId;
      this.method = method;
      this.uri = uri;
      this.authority = authority;
      this.headers = headers;
      this.pool = pool;
    }

    public void send(RequestBody body) {
      try {
        if (timeoutMillis > 0) {
          deadlines.arm(this, timeoutMillis);
        }
        attempt = new UpstreamAttempt(pool, 0, deadlines); // this copy's deadline covers the whole of it
        attempt.send(context, method, uri, authority, target -> target.addAll(headers), body).onComplete(this::answered);
      } catch (RuntimeException e) {
        over(e.toString());
        if (attempt != null) {
          attempt.abort();
        }
      }
    }

    private void answered(AsyncResult<UpstreamResponse> result) {
      if (over) {
        if (result.succeeded()) {
          ((ProxiedResponse) result.result()).discard();
        }
        return;
      }
      if (result.failed()) {
        over(result.cause().getMessage());
        return;
      }
      ProxiedResponse response = (ProxiedResponse) result.result();
      response.relayTo(this); // drained below; the connection is reused once the answer ended
    }

    @Override
    public void content(HttpContent content) {
      content.release();
    }

    @Override
    public void end(LastHttpContent last) {
      last.release();
      if (!over) {
        over = true;
        deadlines.cancel(this);
        state.inFlight--;
      }
    }

    @Override
    public void failed(Throwable cause) {
      over("the answer broke off: " + cause.getMessage());
    }

    @Override
    protected void expired() {
      context.runOnContext(v -> { // the wheel runs on the bare event loop
        if (!over) {
          over("no complete answer within " + timeoutMillis + " ms");
          attempt.abort();
        }
      });
    }

    /** Ends the copy with a failure. */
    public void over(String why) {
      if (over) {
        return;
      }
      over = true;
      deadlines.cancel(this);
      state.inFlight--;
      LOG.debug("route {}: mirror of request {} to {} failed: {}", route, requestId, upstream.name(), why);
    }
  }
}
