package io.portico.health;

import io.portico.config.HealthCheckConfig;
import io.portico.endpoint.EndpointState;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;
import io.portico.config.UpstreamTlsConfig;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Active health checks of one upstream: every interval (with up to 10% jitter, so replicas and
 * upstreams do not probe in step) each current endpoint gets a GET of the check path on a fresh
 * connection, a TCP connect, or a {@code grpc.health.v1.Health/Check} call over HTTP/2 (h2c, or h2
 * by ALPN over TLS). One checker per upstream in the process; verdicts go to the
 * upstream's {@link UpstreamHealth}, which publishes who serves.
 */
public final class HealthChecker {
  private final Vertx vertx;
  private final HealthCheckConfig config;
  private final UpstreamHealth health;
  private final UpstreamTlsConfig tls;
  private final Path baseDir;
  private HttpClient http;
  private NetClient tcp;
  private long timer = -1;
  private volatile boolean stopped;

  public HealthChecker(Vertx vertx, HealthCheckConfig config, UpstreamHealth health) {
    this(vertx, config, health, null, null);
  }

  /** Checks over TLS as set by the upstream's {@code tls:} block, when it has one. */
  public HealthChecker(Vertx vertx, HealthCheckConfig config, UpstreamHealth health, UpstreamTlsConfig tls, Path baseDir) {
    this.tls = tls;
    this.baseDir = baseDir;
    this.vertx = vertx;
    this.config = config;
    this.health = health;
  }

  /** Starts checking; the first round runs at once. */
  public synchronized void start() {
    if (timer >= 0 || stopped) {
      return;
    }
    int timeout = (int) config.timeout().toMillis();
    if ("tcp".equals(config.type())) {
      tcp = vertx.createNetClient(new NetClientOptions().setConnectTimeout(timeout));
    } else {
      // no keep-alive: each check proves that a new connection can be made
      HttpClientOptions options = new HttpClientOptions().setKeepAlive(false).setConnectTimeout(timeout);
      if (tls != null) {
        HealthCheckTls.apply(options, tls, baseDir);
      }
      if (HealthCheckConfig.GRPC.equals(config.type())) {
        // gRPC needs HTTP/2: prior knowledge in clear text, ALPN h2 over TLS
        options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false).setUseAlpn(tls != null);
      }
      http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(4).setHttp2MaxSize(4));
    }
    timer = vertx.setTimer(1, id -> round());
  }

  private void round() {
    if (stopped) {
      return;
    }
    for (EndpointState state : health.states()) {
      if (state.endpoint().ready()) {
        check(state);
      }
    }
    long interval = config.interval().toMillis();
    long jitter = interval / 10 == 0 ? 0 : ThreadLocalRandom.current().nextLong(interval / 10 + 1);
    synchronized (this) {
      if (!stopped) {
        timer = vertx.setTimer(Math.max(1, interval - interval / 20 + jitter), id -> round());
      }
    }
  }

  private void check(EndpointState state) {
    String host = state.endpoint().host();
    int port = state.endpoint().port();
    if (tcp != null) {
      tcp.connect(port, host).onComplete(ar -> {
        if (ar.succeeded()) {
          ar.result().close();
          report(state, true, "connected");
        } else {
          report(state, false, describe(ar.cause()));
        }
      });
      return;
    }
    // over TLS the configured server name is the SNI, the verified name and the Host header
    String name = tls != null && tls.serverName() != null ? tls.serverName() : host;
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(name).setPort(port)
        .setServer(SocketAddress.inetSocketAddress(port, host))
        .setURI(config.path()).setIdleTimeout(config.timeout().toMillis()).putHeader("user-agent", "portico-health-check");
    if (HealthCheckConfig.GRPC.equals(config.type())) {
      checkGrpc(state, request);
      return;
    }
    http.request(request)
        .compose(req -> req.send().compose(response -> response.body().map(body -> response.statusCode())))
        .timeout(config.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            report(state, config.passes(ar.result()), Integer.toString(ar.result()));
          } else {
            report(state, false, describe(ar.cause()));
          }
        });
  }

  private void checkGrpc(EndpointState state, RequestOptions request) {
    request.setMethod(HttpMethod.POST).setURI(GrpcHealthProbe.PATH)
        .putHeader("content-type", "application/grpc").putHeader("te", "trailers");
    http.request(request)
        .compose(req -> req.send(GrpcHealthProbe.request(config.service())).compose(response -> response.body()
            .map(body -> GrpcHealthProbe.judge(response.statusCode(), response.headers(), response.trailers(), body))))
        .timeout(config.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            report(state, ar.result().passed(), ar.result().detail());
          } else {
            report(state, false, describe(ar.cause()));
          }
        });
  }

  private void report(EndpointState state, boolean passed, String detail) {
    if (!stopped) {
      health.checked(state, passed, detail, config.healthy(), config.unhealthy());
    }
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return message != null ? message : cause.getClass().getSimpleName();
  }

  /** Stops checking and closes the clients. */
  public synchronized void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (http != null) {
      http.close();
    }
    if (tcp != null) {
      tcp.close();
    }
  }
}
