package io.portico.balance;

import io.portico.spi.Exchange;
import io.portico.spi.Key;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.util.HashMap;
import java.util.Map;

/** A request as a balancer sees it: headers, query parameters, client address and path. */
final class TestExchange implements Exchange {
  private final MultiMap headers = HttpHeaders.headers();
  private final Map<String, String> query = new HashMap<>();
  private String clientIp = "192.0.2.1";
  private String path = "/";

  TestExchange header(String name, String value) {
    headers.add(name, value);
    return this;
  }

  TestExchange query(String name, String value) {
    query.put(name, value);
    return this;
  }

  TestExchange clientIp(String ip) {
    this.clientIp = ip;
    return this;
  }

  TestExchange path(String path) {
    this.path = path;
    return this;
  }

  @Override public String requestId() { return "test"; }
  @Override public String routeName() { return "test"; }
  @Override public HttpMethod method() { return HttpMethod.GET; }
  @Override public String path() { return path; }
  @Override public String query() { return null; }
  @Override public String queryParam(String name) { return query.get(name); }
  @Override public String host() { return "localhost"; }
  @Override public String scheme() { return "http"; }
  @Override public String clientIp() { return clientIp; }
  @Override public MultiMap requestHeaders() { return headers; }
  @Override public String upstreamPath() { return path; }
  @Override public void setUpstreamPath(String path) { }
  @Override public Future<Buffer> body(long maxBytes) { return Future.succeededFuture(Buffer.buffer()); }
  @Override public int status() { return 0; }
  @Override public MultiMap responseHeaders() { return HttpHeaders.headers(); }
  @Override public MultiMap additionalResponseHeaders() { return HttpHeaders.headers(); }
  @Override public String consumer() { return null; }
  @Override public void setConsumer(String consumer) { }
  @Override public <T> T get(Key<T> key) { return null; }
  @Override public <T> void put(Key<T> key, T value) { }
  @Override public Context context() { return null; }
  @Override public long startNanos() { return 0; }
}
