package io.portico.upstream;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.portico.spi.UpstreamFailure;
import io.portico.spi.UpstreamResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayDeque;

/**
 * One try of an upstream call: take a pooled connection to the endpoint, write the head and the
 * body, wait for the answer head, then hand the body to whoever relays it. The route's timeout runs
 * from the start of the try to the answer head; when it fires the connection is closed and the try
 * fails with {@code TIMEOUT}. Events reach the exchange on its Vert.x context. Confined to the
 * exchange's event loop.
 */
public final class UpstreamAttempt extends Deadlines.Deadline implements ConnectionPool.Lease, UpstreamConnection.Listener {
  private static final int MAX_QUEUED_BYTES = 64 * 1024;

  private final String address;
  private final long timeoutMillis;
  private final Deadlines deadlines;
  private final Promise<UpstreamResponse> result = Promise.promise();
  private ContextInternal context;
  private final ConnectionPool pool;
  private io.netty.handler.codec.http.HttpMethod method;
  private String uri;
  private MultiMap headers;
  private RequestBody body;
  private UpstreamConnection connection;
  private ProxiedResponse response;
  private ResponseSink sink;
  private ArrayDeque<HttpContent> early;
  private int earlyBytes;
  private Throwable earlyFailure;
  private boolean settled;
  private boolean done;
  private boolean retried;

  /**
   * @param pool the connections of the endpoint to try
   * @param timeoutMillis deadline for the answer head; 0 for none
   */
  public UpstreamAttempt(ConnectionPool pool, long timeoutMillis, Deadlines deadlines) {
    this.pool = pool;
    this.address = pool.address();
    this.timeoutMillis = timeoutMillis;
    this.deadlines = deadlines;
  }

  /**
   * Sends the request; call on {@code context}, the exchange's.
   *
   * @param uri path and query to request
   * @param authority the {@code host[:port]} the client asked for (sent as {@code Host}), or {@code null}
   * @param headers writes the headers for the upstream, already filtered
   */
  public Future<UpstreamResponse> send(Context context, HttpMethod method, String uri,
      String authority, UpstreamHeaders headers, RequestBody body) {
    this.context = (ContextInternal) context;
    this.method = io.netty.handler.codec.http.HttpMethod.valueOf(method.name());
    this.uri = uri;
    this.body = body;
    this.headers = UpstreamChannelInitializer.uncheckedHeaders();
    headers.writeTo(this.headers);
    this.headers.set("host", authority != null ? authority : address);
    String unsafe = FieldSyntax.firstUnsafe((HeadersMultiMap) this.headers);
    if (unsafe != null) {
      // whatever set it (a client through a gap in the checks, a plugin), it is never written
      done = true;
      settle(null, UnsafeHeaderException.inRequest(unsafe));
      return result.future();
    }
    if (timeoutMillis > 0) {
      deadlines.arm(this, timeoutMillis);
    }
    pool.acquire(this);
    return result.future();
  }

  /** The upstream's answer once its head arrived, else {@code null}. */
  public ProxiedResponse response() {
    return response;
  }

  /** {@code host:port} of the endpoint of this try. */
  public String endpoint() {
    return address;
  }

  @Override
  public void acquired(UpstreamConnection acquired) {
    if (done) {
      pool.release(acquired, true); // untouched: another exchange may use it
      return;
    }
    connection = acquired;
    acquired.start(this);
    if (acquired.stream()) {
      // HTTP/2 allows this one value: the gateway relays trailers (gRPC servers look for it)
      headers.set("te", "trailers");
    }
    HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri, (HeadersMultiMap) headers);
    body.send(acquired, head);
  }

  @Override
  public void connectFailed(Throwable cause) {
    settle(null, cause instanceof UpstreamOverloaded overloaded ? overloaded : Failures.connect(address, cause));
  }

  @Override
  public void head(HttpResponse head) {
    String unsafe = FieldSyntax.firstUnsafe(head.headers());
    if (unsafe != null) {
      // an answer head that could split on the client's connection: never relayed, and the
      // connection it came on is not trusted again
      done = true;
      UpstreamConnection broken = connection;
      connection = null;
      if (broken != null) {
        broken.abort();
      }
      settle(null, UnsafeHeaderException.inAnswer(address, unsafe));
      return;
    }
    response = new ProxiedResponse(head, address, this);
    settle(response, null);
  }

  @Override
  public void content(HttpContent content) {
    if (sink != null) {
      sink.content(content);
      return;
    }
    if (early == null) {
      early = new ArrayDeque<>(4);
    }
    early.add(content); // read before the response chain let the body go
    earlyBytes += content.content().readableBytes();
    if (earlyBytes > MAX_QUEUED_BYTES && connection != null) {
      connection.reading(false);
    }
  }

  @Override
  public void end(LastHttpContent last) {
    connection = null; // the connection went back to its pool
    done = true;
    if (sink != null) {
      sink.end(last);
    } else {
      content(last);
    }
  }

  @Override
  public void failed(Throwable cause) {
    UpstreamConnection broken = connection;
    connection = null;
    if (!settled && !retried && broken != null && broken.reused() && body.replayable() && idempotent()) {
      // a kept-alive connection the upstream closed while it sat in the pool: the request never
      // got an answer, so an idempotent one goes once more on another connection (as nginx does)
      retried = true;
      pool.acquire(this);
      return;
    }
    if (!settled && !retried && cause instanceof Http2StreamRefused && body.replayable()) {
      // the HTTP/2 upstream did not process the stream (GOAWAY below it, or REFUSED_STREAM): it
      // goes again on another connection, whatever its method
      retried = true;
      pool.acquire(this);
      return;
    }
    if (!settled) {
      settle(null, Failures.reset(address, cause));
    } else if (sink != null) {
      sink.failed(cause);
    } else {
      earlyFailure = cause;
    }
  }

  @Override
  public void writable() {
    body.writable();
  }

  private boolean idempotent() {
    String name = method.name();
    return !name.equals("POST") && !name.equals("PATCH") && !name.equals("CONNECT");
  }

  /** Starts handing the body to {@code target}, first what was read before. */
  void attach(ResponseSink target) {
    this.sink = target;
    if (early != null) {
      HttpContent content;
      while ((content = early.poll()) != null) {
        if (content instanceof LastHttpContent last) {
          target.end(last);
        } else {
          target.content(content);
        }
      }
      if (earlyBytes > MAX_QUEUED_BYTES && connection != null) {
        connection.reading(true);
      }
    }
    if (earlyFailure != null) {
      target.failed(earlyFailure);
    }
  }

  /** Starts or stops reading the rest of the body. */
  void reading(boolean on) {
    if (connection != null) {
      connection.reading(on);
    }
  }

  /** Gives up on the try (the client went away or the answer was replaced). */
  public void abort() {
    done = true;
    settle(null, new UpstreamFailure(UpstreamFailure.Kind.CANCELLED, address, "cancelled by the gateway"));
    pool.cancel(this);
    if (connection != null) {
      UpstreamConnection aborted = connection;
      connection = null;
      aborted.abort();
    }
    if (early != null) {
      early.forEach(HttpContent::release);
      early = null;
    }
  }

  @Override
  protected void expired() {
    context.runOnContext(v -> timedOut()); // the wheel runs on the bare event loop
  }

  private void timedOut() {
    if (!settled) {
      settle(null, Failures.timeout(address, timeoutMillis));
      done = true;
      pool.cancel(this);
      if (connection != null) {
        UpstreamConnection late = connection;
        connection = null;
        late.abort();
      }
    }
  }

  private void settle(ProxiedResponse answer, RuntimeException failure) {
    if (settled) {
      return;
    }
    settled = true;
    deadlines.cancel(this);
    // the exchange runs on its Vert.x context: plugins see it as current
    context.dispatch(() -> {
      if (failure != null) {
        result.fail(failure);
      } else {
        result.complete(answer);
      }
    });
  }
}
