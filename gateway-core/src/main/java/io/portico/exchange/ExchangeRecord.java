package io.portico.exchange;

import io.portico.chain.ChainRunner;
import io.portico.spi.ExchangeLog;
import io.portico.spi.Key;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Objects;

/** The immutable record of a finished exchange, handed to {@code onComplete}. */
final class ExchangeRecord implements ExchangeLog {
  private final String requestId;
  private final String routeName;
  private final String upstreamName;
  private final String endpoint;
  private final HttpMethod method;
  private final String path;
  private final int status;
  private final String errorCode;
  private final String errorDetail;
  private final long startEpochMillis;
  private final long durationNanos;
  private final long upstreamDurationNanos;
  private final int attempts;
  private final long bytesReceived;
  private final long bytesSent;
  private final String clientIp;
  private final String consumer;
  private final int grpcStatus;
  private final Attributes attributes;
  private final List<String> pluginNames;
  private final long[] pluginNanos; // the runner's array: no phase writes to it any more
  private final int pluginsRan;

  ExchangeRecord(ProxyExchange exchange, int status, ChainRunner chain) {
    ExchangeTrace trace = exchange.trace;
    this.requestId = exchange.requestId();
    this.routeName = exchange.routeName();
    this.upstreamName = trace.upstream() != null ? trace.upstream().name()
        : exchange.route == null ? null : exchange.route.upstream().name();
    this.endpoint = trace.endpoint();
    this.method = exchange.method();
    this.path = exchange.path();
    this.status = status;
    this.errorCode = trace.errorCode();
    this.errorDetail = trace.errorDetail();
    this.durationNanos = System.nanoTime() - exchange.startNanos();
    this.startEpochMillis = System.currentTimeMillis() - durationNanos / 1_000_000;
    this.upstreamDurationNanos = trace.upstreamNanos();
    this.attempts = trace.attempts();
    this.bytesReceived = trace.bytesReceived();
    this.bytesSent = trace.bytesSent();
    this.clientIp = exchange.clientIp();
    this.consumer = exchange.consumer();
    this.grpcStatus = exchange.grpc == null || exchange.grpc.status() == null ? -1 : exchange.grpc.status().code();
    this.attributes = exchange.attributes();
    this.pluginNames = chain.pluginNames();
    this.pluginNanos = chain.stopClocks();
    this.pluginsRan = chain.pluginsRan();
  }

  @Override
  public String requestId() {
    return requestId;
  }

  @Override
  public String routeName() {
    return routeName;
  }

  @Override
  public String upstreamName() {
    return upstreamName;
  }

  @Override
  public String endpoint() {
    return endpoint;
  }

  @Override
  public HttpMethod method() {
    return method;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public String errorCode() {
    return errorCode;
  }

  @Override
  public String errorDetail() {
    return errorDetail;
  }

  @Override
  public long startEpochMillis() {
    return startEpochMillis;
  }

  @Override
  public long durationNanos() {
    return durationNanos;
  }

  @Override
  public long upstreamDurationNanos() {
    return upstreamDurationNanos;
  }

  @Override
  public int attempts() {
    return attempts;
  }

  @Override
  public long bytesReceived() {
    return bytesReceived;
  }

  @Override
  public long bytesSent() {
    return bytesSent;
  }

  @Override
  public String clientIp() {
    return clientIp;
  }

  @Override
  public String consumer() {
    return consumer;
  }

  @Override
  public int grpcStatus() {
    return grpcStatus;
  }

  @Override
  public <T> T get(Key<T> key) {
    return attributes == null ? null : attributes.get(key);
  }

  @Override
  public List<String> pluginNames() {
    return pluginNames;
  }

  @Override
  public long pluginNanos(int index) {
    Objects.checkIndex(index, pluginNanos.length);
    return index < pluginsRan ? pluginNanos[index] : -1;
  }

  @Override
  public String toString() {
    return "ExchangeLog(" + requestId + " " + method + " " + path + " -> " + status
        + (errorCode != null ? " " + errorCode : "") + ")";
  }
}
