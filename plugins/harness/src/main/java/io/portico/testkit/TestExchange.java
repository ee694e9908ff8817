package io.portico.testkit;

import io.portico.spi.BodyTooLargeException;
import io.portico.spi.Exchange;
import io.portico.spi.Key;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.HashMap;
import java.util.Map;

/**
 * An exchange built by a test, to call a plugin's phases directly (see {@link PluginHarness}). By
 * default a {@code GET /} from {@code 127.0.0.1} with no headers and no body; the setters return
 * the exchange, so a test reads like the request it describes:
 *
 * <pre>{@code
 * TestExchange exchange = new TestExchange()
 *     .method(HttpMethod.POST).path("/orders?dry-run=true")
 *     .header("Content-Type", "application/json")
 *     .body("{\"id\":1}")
 *     .clientIp("192.0.2.7");
 * }</pre>
 *
 * <p>What a plugin writes is readable afterwards: {@link #consumer()}, {@link #upstreamPath()},
 * {@link #additionalResponseHeaders()}, {@link #get(Key)}. For {@code onResponse}, set the
 * answer's {@link #status(int) status} and {@link #responseHeader(String, String) headers}.
 * Not thread-safe: like the gateway's, it belongs to one event loop.
 */
public final class TestExchange implements Exchange {
  private final MultiMap requestHeaders = MultiMap.caseInsensitiveMultiMap();
  private final MultiMap responseHeaders = MultiMap.caseInsensitiveMultiMap();
  private final MultiMap additional = MultiMap.caseInsensitiveMultiMap();
  private final Map<String, String> queryParams = new HashMap<>();
  private final Map<Key<?>, Object> values = new HashMap<>();
  private final long startNanos = System.nanoTime();
  private Context context;
  private String requestId = "test-request";
  private String routeName = "test";
  private HttpMethod method = HttpMethod.GET;
  private String path = "/";
  private String query;
  private String upstreamPath;
  private String host = "localhost";
  private String scheme = "http";
  private String clientIp = "127.0.0.1";
  private Buffer body = Buffer.buffer();
  private int status;
  private String consumer;

  /** A {@code GET /} with no {@link #context()} until a {@link PluginHarness} (or {@link #context(Context)}) sets one. */
  public TestExchange() {}

  /** A {@code GET /} owned by {@code context} (an event loop's). */
  public TestExchange(Context context) {
    this.context = context;
  }

  public TestExchange method(HttpMethod method) {
    this.method = method;
    return this;
  }

  /**
   * The request target: a path, optionally with a query string ({@code /a?b=c}) that replaces the
   * query so far; without one, the query parameters already given stay.
   */
  public TestExchange path(String target) {
    int q = target.indexOf('?');
    if (q < 0) {
      this.path = target;
      return this;
    }
    this.path = target.substring(0, q);
    this.query = null;
    queryParams.clear();
    for (String pair : target.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (!pair.isEmpty()) {
        query(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
      }
    }
    return this;
  }

  /** Adds one query parameter (not URL-decoded, as given). */
  public TestExchange query(String name, String value) {
    queryParams.putIfAbsent(name, value);
    String pair = name + "=" + value;
    this.query = query == null ? pair : query + "&" + pair;
    return this;
  }

  /** Adds a request header. */
  public TestExchange header(String name, String value) {
    requestHeaders.add(name, value);
    return this;
  }

  public TestExchange host(String host) {
    this.host = host;
    return this;
  }

  public TestExchange scheme(String scheme) {
    this.scheme = scheme;
    return this;
  }

  public TestExchange clientIp(String clientIp) {
    this.clientIp = clientIp;
    return this;
  }

  /** The caller's identity, as an authentication plugin earlier in the chain would have set it. */
  public TestExchange consumer(String consumer) {
    this.consumer = consumer;
    return this;
  }

  public TestExchange body(String body) {
    return body(Buffer.buffer(body));
  }

  public TestExchange body(Buffer body) {
    this.body = body;
    return this;
  }

  public TestExchange requestId(String requestId) {
    this.requestId = requestId;
    return this;
  }

  public TestExchange routeName(String routeName) {
    this.routeName = routeName;
    return this;
  }

  /** The answer's status, as {@code onResponse} sees it (0 before the answer). */
  public TestExchange status(int status) {
    this.status = status;
    return this;
  }

  /** Adds a header of the answer, as {@code onResponse} sees it. */
  public TestExchange responseHeader(String name, String value) {
    responseHeaders.add(name, value);
    return this;
  }

  /** The event loop's context the exchange belongs to. */
  public TestExchange context(Context context) {
    this.context = context;
    return this;
  }

  @Override public String requestId() { return requestId; }
  @Override public String routeName() { return routeName; }
  @Override public HttpMethod method() { return method; }
  @Override public String path() { return path; }
  @Override public String query() { return query; }
  @Override public String queryParam(String name) { return queryParams.get(name); }
  @Override public String host() { return host; }
  @Override public String scheme() { return scheme; }
  @Override public String clientIp() { return clientIp; }
  @Override public MultiMap requestHeaders() { return requestHeaders; }
  @Override public String upstreamPath() { return upstreamPath != null ? upstreamPath : path; }
  @Override public void setUpstreamPath(String path) { this.upstreamPath = path; }
  @Override public int status() { return status; }
  @Override public MultiMap responseHeaders() { return responseHeaders; }
  @Override public MultiMap additionalResponseHeaders() { return additional; }
  @Override public String consumer() { return consumer; }
  @Override public void setConsumer(String consumer) { this.consumer = consumer; }
  @Override public Context context() { return context; }
  @Override public long startNanos() { return startNanos; }

  /** The body set by the test; fails with {@link BodyTooLargeException} past {@code maxBytes}, as the gateway does. */
  @Override
  public Future<Buffer> body(long maxBytes) {
    return body.length() > maxBytes ? Future.failedFuture(new BodyTooLargeException(maxBytes)) : Future.succeededFuture(body);
  }

  @Override
  public <T> T get(Key<T> key) {
    return key.type().cast(values.get(key));
  }

  @Override
  public <T> void put(Key<T> key, T value) {
    if (value == null) {
      values.remove(key);
    } else {
      values.put(key, value);
    }
  }
}
