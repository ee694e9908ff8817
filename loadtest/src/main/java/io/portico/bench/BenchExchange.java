package io.portico.bench;

import io.portico.spi.Exchange;
import io.portico.spi.Key;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;

/** A fixed exchange for plugin benchmarks: one client, a GET on {@code /}, no consumer. */
final class BenchExchange implements Exchange {
  private final String clientIp;
  private final MultiMap requestHeaders = HttpHeaders.headers();
  private final MultiMap additional = HttpHeaders.headers();

  BenchExchange(String clientIp) {
    this.clientIp = clientIp;
  }

  @Override public String requestId() { return "bench"; }
  @Override public String routeName() { return "bench"; }
  @Override public HttpMethod method() { return HttpMethod.GET; }
  @Override public String path() { return "/"; }
  @Override public String query() { return null; }
  @Override public String queryParam(String name) { return null; }
  @Override public String host() { return "localhost"; }
  @Override public String scheme() { return "http"; }
  @Override public String clientIp() { return clientIp; }
  @Override public MultiMap requestHeaders() { return requestHeaders; }
  @Override public String upstreamPath() { return "/"; }
  @Override public void setUpstreamPath(String path) { }
  @Override public Future<Buffer> body(long maxBytes) { return Future.succeededFuture(Buffer.buffer()); }
  @Override public int status() { return 0; }
  @Override public MultiMap responseHeaders() { return additional; }
  @Override public MultiMap additionalResponseHeaders() { return additional; }
  @Override public String consumer() { return null; }
  @Override public void setConsumer(String consumer) { }
  @Override public <T> T get(Key<T> key) { return null; }
  @Override public <T> void put(Key<T> key, T value) { }
  @Override public Context context() { return null; }
  @Override public long startNanos() { return 0; }
}
