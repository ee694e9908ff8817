package io.portico.upstream;

import io.portico.spi.Endpoint;
import io.portico.spi.UpstreamFailure;
import io.portico.spi.UpstreamResponse;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;

/**
 * One try of an upstream call: take a pooled connection to the endpoint, send the head and the
 * body, wait for the answer head. The route's timeout runs from the start of the try to the answer
 * head; when it fires the request is reset and the try fails with {@code TIMEOUT}. Confined to the
 * exchange's event loop.
 */
public final class UpstreamAttempt extends Deadlines.Deadline {
  private final Endpoint endpoint;
  private final String address;
  private final long timeoutMillis;
  private final Deadlines deadlines;
  private Context context;
  private HostAndPort authority;
  private UpstreamHeaders headers;
  private RequestBody body;
  private final Promise<UpstreamResponse> result = Promise.promise();
  private ProxiedResponse response;
  private HttpClientRequest request;
  private boolean settled;

  /**
   * @param timeoutMillis deadline for the answer head; 0 for none
   */
  public UpstreamAttempt(Endpoint endpoint, long timeoutMillis, Deadlines deadlines) {
    this.endpoint = endpoint;
    this.deadlines = deadlines;
    this.address = endpoint.address();
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Sends the request; call on {@code context}, the exchange's.
   *
   * @param uri path and query to request
   * @param authority the host the client asked for (sent as {@code Host}), or {@code null}
   * @param headers writes the headers for the upstream, already filtered
   */
  public Future<UpstreamResponse> send(HttpClient client, Context context, HttpMethod method, String uri,
      HostAndPort authority, UpstreamHeaders headers, RequestBody body) {
    this.context = context;
    if (timeoutMillis > 0) {
      deadlines.arm(this, timeoutMillis);
    }
    RequestOptions options = new RequestOptions()
        .setMethod(method)
        .setHost(endpoint.host())
        .setPort(endpoint.port())
        .setURI(uri);
    this.authority = authority;
    this.headers = headers;
    this.body = body;
    client.request(options).onComplete(this::connected);
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

  /** Gives up on the try (the client went away or the answer was replaced). */
  public void abort() {
    if (!settled) {
      settled = true;
      cancelTimer();
      result.tryFail(new UpstreamFailure(UpstreamFailure.Kind.RESET, address, "aborted"));
    }
    if (request != null) {
      request.reset();
    }
  }

  private void connected(AsyncResult<HttpClientRequest> ar) {
    if (ar.failed()) {
      settle(null, Failures.connect(address, ar.cause()));
      return;
    }
    request = ar.result();
    if (settled) {
      request.reset();
      return;
    }
    if (authority != null) {
      request.authority(authority);
    }
    headers.writeTo(request.headers());
    request.response().onComplete(this::answered);
    body.sendTo(request);
  }

  private void answered(AsyncResult<HttpClientResponse> ar) {
    if (ar.failed()) {
      settle(null, Failures.reset(address, ar.cause()));
      return;
    }
    HttpClientResponse answer = ar.result();
    answer.pause(); // the body waits for the response chain
    if (settled) {
      request.reset();
      return;
    }
    response = new ProxiedResponse(answer, address);
    settle(response, null);
  }

  @Override
  protected void expired() {
    context.runOnContext(v -> timedOut()); // the wheel runs on the bare event loop
  }

  private void timedOut() {
    if (!settled) {
      settle(null, Failures.timeout(address, timeoutMillis));
      if (request != null) {
        request.reset();
      }
    }
  }

  private void settle(ProxiedResponse response, UpstreamFailure failure) {
    if (settled) {
      return;
    }
    settled = true;
    cancelTimer();
    if (failure != null) {
      result.fail(failure);
    } else {
      result.complete(response);
    }
  }

  private void cancelTimer() {
    deadlines.cancel(this);
  }
}
