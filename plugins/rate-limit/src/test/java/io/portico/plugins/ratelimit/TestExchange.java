package io.portico.plugins.ratelimit;

import io.portico.spi.Exchange;
import io.portico.spi.Key;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.HashMap;
import java.util.Map;

/** Just enough of an exchange to drive the plugin through the SPI at a precise, test-chosen pace. */
final class TestExchange implements Exchange {
  private final Context context;
  private final MultiMap requestHeaders = MultiMap.caseInsensitiveMultiMap();
  private final MultiMap additional = MultiMap.caseInsensitiveMultiMap();
  private final Map<Key<?>, Object> values = new HashMap<>();
  private String clientIp = "127.0.0.1";
  private String consumer;

  TestExchange(Context context) {
    this.context = context;
  }

  TestExchange header(String name, String value) {
    requestHeaders.set(name, value);
    return this;
  }

  TestExchange from(String ip) {
    clientIp = ip;
    return this;
  }

  TestExchange as(String consumer) {
    this.consumer = consumer;
    return this;
  }

  @Override public String requestId() { return "test"; }
  @Override public String routeName() { return "r"; }
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
  @Override public MultiMap responseHeaders() { return MultiMap.caseInsensitiveMultiMap(); }
  @Override public MultiMap additionalResponseHeaders() { return additional; }
  @Override public String consumer() { return consumer; }
  @Override public void setConsumer(String consumer) { this.consumer = consumer; }
  @SuppressWarnings("unchecked") @Override public <T> T get(Key<T> key) { return (T) values.get(key); }
  @Override public <T> void put(Key<T> key, T value) { values.put(key, value); }
  @Override public Context context() { return context; }
  @Override public long startNanos() { return System.nanoTime(); }
}
