package io.portico.plugins.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.portico.spi.ExchangeLog;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** {@code access-log}: one JSON line per exchange, written off the event loop. */
public final class AccessLogPluginFactory implements PluginFactory<AccessLogConfig> {

  @Override
  public String name() {
    return "access-log";
  }

  @Override
  public Stage stage() {
    return Stage.INGRESS;
  }

  @Override
  public int priority() {
    return 9_000;
  }

  @Override
  public Class<AccessLogConfig> configType() {
    return AccessLogConfig.class;
  }

  @Override
  public Plugin create(AccessLogConfig config, PluginContext context) {
    AccessLogWriter writer = AccessLogWriter.to(config.path() == null ? null : context.resolvePath(config.path()));
    FunctionCounter.builder("portico.access.log.dropped", writer, AccessLogWriter::dropped)
        .tag("destination", config.path() == null ? "stdout" : config.path())
        .description("access log lines dropped because the writer could not keep up")
        .register(context.meterRegistry());
    return new Plugin() {
      @Override
      public void onComplete(ExchangeLog log) {
        writer.write(line(log));
      }
    };
  }

  static String line(ExchangeLog log) {
    return new JsonObject()
        .put("time", Instant.ofEpochMilli(log.startEpochMillis()).toString())
        .put("request_id", log.requestId())
        .put("trace_id", log.get(TraceIds.KEY))
        .put("client_ip", log.clientIp())
        .put("consumer", log.consumer())
        .put("method", log.method().name())
        .put("path", log.path())
        .put("route", log.routeName())
        .put("upstream", log.upstreamName())
        .put("endpoint", log.endpoint())
        .put("status", log.status())
        .put("grpc_status", log.grpcStatus() < 0 ? null : log.grpcStatus())
        .put("error", log.errorCode())
        .put("error_detail", log.errorDetail())
        .put("attempts", log.attempts())
        .put("duration_ms", log.durationNanos() / 1e6)
        .put("upstream_ms", log.upstreamDurationNanos() < 0 ? null : log.upstreamDurationNanos() / 1e6)
        .put("bytes_in", log.bytesReceived())
        .put("bytes_out", log.bytesSent())
        .encode();
  }
}
