package io.portico.exchange;

import io.portico.route.RouteRequest;
import io.portico.runtime.RunningRoute;
import io.portico.runtime.CompiledConfig;
import io.portico.spi.Exchange;
import io.portico.spi.Key;
import io.portico.upstream.HeaderCopy;
import io.portico.upstream.HeaderPolicy;
import io.portico.upstream.TrustedProxies;
import io.portico.upstream.Upstream;
import io.portico.upstream.UpstreamHeaders;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

/**
 * The state of one exchange as plugins see it ({@link Exchange}) and as the route table sees it
 * ({@link RouteRequest}). Derived values (host, client address, upstream headers) are computed on
 * first use. Confined to the event loop of the connection.
 */
final class ProxyExchange implements Exchange, RouteRequest, UpstreamHeaders {
  final HttpServerRequest request;
  final Loop loop;
  final CompiledConfig snapshot;
  final Context context;
  private final String requestId;
  private final String path;
  private final long startNanos = System.nanoTime();
  private final boolean trustedPeer;
  /** The declared {@code Content-Length}, -1 when none. */
  final long declaredLength;
  /** Whether a body follows the head ({@link RequestFraming#hasBody}). */
  final boolean hasBody;
  /** The gRPC side of a gRPC call, {@code null} for other requests. */
  final GrpcCall grpc;

  RunningRoute route;
  private String upstreamPath;
  private String host;
  /** Marks a request without a query in {@link #query}: an identity check, never shown. */
  private static final String NO_QUERY = new String("");
  private String query;
  private String clientIp;
  private String peerIp;
  private String authorityText;
  private RequestHeadersView headersView;
  private MultiMap additionalResponseHeaders;
  private Attributes attributes;
  private String consumer;
  private int status;
  final ExchangeTrace trace = new ExchangeTrace();
  BodyReader bodyReader;

  ProxyExchange(HttpServerRequest request, Loop loop, CompiledConfig snapshot, Context context, String requestId, String path) {
    this.request = request;
    this.loop = loop;
    this.snapshot = snapshot;
    this.context = context;
    this.requestId = requestId;
    this.path = path;
    TrustedProxies trusted = snapshot.trustedProxies();
    this.trustedPeer = !trusted.isEmpty() && trusted.contains(peerIp());
    this.declaredLength = RequestFraming.declaredLength(request);
    this.hasBody = RequestFraming.hasBody(request, declaredLength);
    this.grpc = GrpcCall.of(request, startNanos);
  }

  void route(RunningRoute route, String upstreamPath) {
    this.route = route;
    this.upstreamPath = upstreamPath;
  }

  /**
   * The upstream of this exchange: the route's, or when the route splits traffic the first
   * matching canary rule's, else the split's pick. Chosen at the first call and remembered, so
   * every try of the exchange goes to the same upstream.
   */
  Upstream upstream() {
    if (route.traffic() == null) {
      return route.upstream();
    }
    Upstream chosen = trace.upstream();
    if (chosen == null) {
      chosen = route.traffic().choose(loop.index, this);
      trace.upstream(chosen);
    }
    return chosen;
  }

  @Override
  public String requestId() {
    return requestId;
  }

  @Override
  public String routeName() {
    return route == null ? null : route.name();
  }

  @Override
  public HttpMethod method() {
    return request.method();
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String query() {
    String known = query;
    if (known == null) {
      // Vert.x caches a present query but parses the URI again on each call when there is none
      String parsed = request.query();
      known = parsed == null ? NO_QUERY : parsed;
      query = known;
    }
    return known == NO_QUERY ? null : known;
  }

  @Override
  public String queryParam(String name) {
    return request.getParam(name);
  }

  @Override
  public String header(String name) {
    return request.getHeader(name);
  }

  @Override
  public String host() {
    if (host == null) {
      HostAndPort authority = request.authority();
      String raw = authority == null ? "" : authority.host();
      host = hasUpperCase(raw) ? raw.toLowerCase(java.util.Locale.ROOT) : raw;
    }
    return host;
  }

  @Override
  public String scheme() {
    if (trustedPeer) {
      String forwarded = request.getHeader(HeaderPolicy.X_FORWARDED_PROTO);
      if (forwarded != null) {
        return forwarded;
      }
    }
    return request.isSSL() ? "https" : "http";
  }

  @Override
  public java.util.List<java.security.cert.X509Certificate> clientCertificates() {
    return ClientCertificates.of(request);
  }

  @Override
  public String clientIp() {
    if (clientIp == null) {
      clientIp = snapshot.trustedProxies().clientIp(peerIp(), trustedPeer, request.getHeader(HeaderPolicy.X_FORWARDED_FOR));
    }
    return clientIp;
  }

  /** The {@code host[:port]} the client asked for, as text (made once), or {@code null}. */
  String authorityText() {
    if (authorityText == null) {
      HostAndPort authority = request.authority();
      authorityText = authority == null ? null : authority.toString();
    }
    return authorityText;
  }

  String peerIp() {
    if (peerIp == null) {
      peerIp = loop.peers.ip(request.remoteAddress());
    }
    return peerIp;
  }

  @Override
  public MultiMap requestHeaders() {
    if (headersView == null) {
      headersView = new RequestHeadersView(request.headers(), this::filterHeadersInto);
    }
    return headersView;
  }

  /**
   * Puts the upstream request's headers into {@code target}: the ones plugins edited, or (when no
   * plugin needed them made) the client's filtered straight into the target, saving a copy.
   */
  @Override
  public void writeTo(MultiMap target) {
    MultiMap edited = headersView == null ? null : headersView.madeOrNull();
    if (edited != null) {
      HeaderCopy.addAll(edited, target);
    } else {
      filterHeadersInto(target);
    }
  }

  private void filterHeadersInto(MultiMap target) {
    HeaderPolicy.copyRequestHeaders(request.headers(), target, trustedPeer);
    HeaderPolicy.setForwarding(request.headers(), target, trustedPeer, peerIp(),
        request.isSSL() ? "https" : "http", authorityText(), requestId);
  }

  @Override
  public String upstreamPath() {
    return upstreamPath;
  }

  @Override
  public void setUpstreamPath(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("an upstream path starts with /: " + path);
    }
    this.upstreamPath = path;
  }

  @Override
  public Future<Buffer> body(long maxBytes) {
    if (bodyReader == null) {
      bodyReader = new BodyReader(this, Math.min(maxBytes < 0 ? Long.MAX_VALUE : maxBytes, routeLimit()));
    }
    return bodyReader.read();
  }

  /** The route's body limit (or the listener default), {@link Long#MAX_VALUE} for none. */
  long routeLimit() {
    return route == null || route.maxBodySize() < 0 ? Long.MAX_VALUE : route.maxBodySize();
  }

  @Override
  public int status() {
    return status;
  }

  /** The status of the answer the client gets (a reply's, the upstream's, or 101 for a WebSocket). */
  void answeredWith(int status) {
    this.status = status;
  }

  @Override
  public MultiMap responseHeaders() {
    return request.response().headers();
  }

  @Override
  public MultiMap additionalResponseHeaders() {
    if (additionalResponseHeaders == null) {
      additionalResponseHeaders = HttpHeaders.headers();
    }
    return additionalResponseHeaders;
  }

  /** The additional headers if a plugin added any, else {@code null}. */
  MultiMap additionalHeadersOrNull() {
    return additionalResponseHeaders;
  }

  @Override
  public String consumer() {
    return consumer;
  }

  @Override
  public void setConsumer(String consumer) {
    this.consumer = consumer;
  }

  @Override
  public <T> T get(Key<T> key) {
    return attributes == null ? null : attributes.get(key);
  }

  @Override
  public <T> void put(Key<T> key, T value) {
    if (attributes == null) {
      attributes = new Attributes();
    }
    attributes.put(key, value);
  }

  Attributes attributes() {
    return attributes;
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public long startNanos() {
    return startNanos;
  }

  private static boolean hasUpperCase(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return true;
      }
    }
    return false;
  }
}
