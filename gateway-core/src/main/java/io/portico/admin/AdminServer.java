package io.portico.admin;

import io.portico.config.live.ConfigReloader;
import io.portico.config.live.ConfigStoreLink;
import io.portico.server.Gateway;
import io.portico.config.AdminConfig;
import io.portico.plugin.PluginRegistry;
import io.portico.registry.InstanceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The admin server on its own port: probes, metrics and the admin API. Bound to loopback by
 * default; bound anywhere else it requires {@code admin.token} on {@code /admin/*}.
 */
public final class AdminServer {
  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts the admin server.
   *
   * @param store the config store that admin writes go to, or {@code null}
   * @param instances where instances registered through the admin API are kept
   */
  public static Future<AdminServer> start(Vertx vertx, AdminConfig config, Gateway gateway, ConfigReloader reloader,
      PluginRegistry registry, ConfigStoreLink store, InstanceRegistry instances) {
    String token = AdminToken.resolve(config.token());
    if (token == null && !isLoopback(config.host())) {
      return Future.failedFuture(new IllegalStateException(
          "admin binds to " + config.host() + ", which is not loopback: set admin.token"));
    }
    AdminApi api = new AdminApi(vertx, gateway, reloader, registry, store, instances);
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()));
    server.requestHandler(api.router(vertx, token));
    return server.listen().map(s -> new AdminServer(s));
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }

  /** For handlers that answer a request with JSON. */
  static void reply(HttpServerRequest request, int status, Object body) {
    AdminApi.json(request, status, body);
  }
}
