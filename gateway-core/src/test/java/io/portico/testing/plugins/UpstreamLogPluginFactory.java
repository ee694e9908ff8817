package io.portico.testing.plugins;

import io.portico.spi.ExchangeLog;
import io.portico.spi.NoConfig;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code upstream-log}: records each finished exchange's upstream name by request id. */
public final class UpstreamLogPluginFactory implements PluginFactory<NoConfig> {
  /** Request id to the upstream its {@link ExchangeLog} names. */
  public static final Map<String, String> UPSTREAMS = new ConcurrentHashMap<>();
  /** Request id to its {@link ExchangeLog#errorDetail()}, when it has one. */
  public static final Map<String, String> ERROR_DETAILS = new ConcurrentHashMap<>();
  /** Request id to its {@link ExchangeLog#grpcStatus()}, for gRPC calls. */
  public static final Map<String, Integer> GRPC_STATUSES = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "upstream-log";
  }

  @Override
  public Stage stage() {
    return Stage.INGRESS;
  }

  @Override
  public int priority() {
    return 0;
  }

  @Override
  public Class<NoConfig> configType() {
    return NoConfig.class;
  }

  @Override
  public Plugin create(NoConfig config, PluginContext context) {
    return new Plugin() {
      @Override
      public void onComplete(ExchangeLog log) {
        if (log.upstreamName() != null) {
          UPSTREAMS.put(log.requestId(), log.upstreamName());
        }
        if (log.errorDetail() != null) {
          ERROR_DETAILS.put(log.requestId(), log.errorDetail());
        }
        if (log.grpcStatus() >= 0) {
          GRPC_STATUSES.put(log.requestId(), log.grpcStatus());
        }
      }
    };
  }
}
