package io.portico.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.portico.config.live.ConfigReloader;
import io.portico.config.live.ConfigStoreLink;
import io.portico.server.Gateway;
import io.portico.config.ConfigError;
import io.portico.config.ConfigException;
import io.portico.config.ValidatedConfig;
import io.portico.config.RejectedEntry;
import io.portico.plugin.PluginRegistry;
import io.portico.registry.InstanceRegistry;
import io.portico.spi.ConfigStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.Supplier;

/** The admin endpoints on a Vert.x Web router; each read renders the gateway's current immutable state. */
final class AdminApi {
  private final Gateway gateway;
  private final ConfigReloader reloader;
  private final SnapshotView view;
  private final ConfigStoreLink store;
  private final ConfigWriteApi writes;
  private final RegistrationApi registrations;
  private final ConfigHistoryApi history;
  private final PluginWriteApi pluginWrites;

  private final AdminStats stats;

  AdminApi(Vertx vertx, Gateway gateway, ConfigReloader reloader, PluginRegistry registry, ConfigStoreLink store,
      InstanceRegistry instances) {
    this.stats = new AdminStats(vertx, gateway.meterRegistry());
    this.gateway = gateway;
    this.reloader = reloader;
    this.view = new SnapshotView(gateway, registry);
    this.store = store;
    this.writes = new ConfigWriteApi(reloader, store);
    this.registrations = new RegistrationApi(instances);
    this.history = new ConfigHistoryApi(reloader, store);
    this.pluginWrites = new PluginWriteApi(reloader, store, writes);
  }

  /**
   * One route per endpoint, after the token check (on {@code /admin/*}) and the body limit (every
   * body, chunked or not); anything else is a JSON 404, and every failure a JSON error from
   * {@link AdminFailures}.
   */
  Router router(Vertx vertx, String token) {
    Router router = Router.router(vertx);
    router.routeWithRegex("/admin/.*").handler(AdminToken.check(token));
    router.route().handler(BodyHandler.create(false).setBodyLimit(AdminReplies.MAX_BODY));
    // the entries first, as "/admin/routes" would also take "/admin/routes/"
    router.routeWithRegex("/admin/routes/.*")
        .handler(ctx -> writes.handle(ctx, ConfigStore.Kind.ROUTE, rest(ctx, "/admin/routes/")));
    router.routeWithRegex("/admin/upstreams/.*")
        .handler(ctx -> writes.handle(ctx, ConfigStore.Kind.UPSTREAM, rest(ctx, "/admin/upstreams/")));
    router.routeWithRegex("/admin/services/.*")
        .handler(ctx -> registrations.handle(ctx, rest(ctx, "/admin/services/")));
    router.routeWithRegex("/admin/plugins/.+")
        .handler(ctx -> pluginWrites.handle(ctx, rest(ctx, "/admin/plugins/")));
    router.routeWithRegex("/admin/config/history/.+")
        .handler(ctx -> history.one(ctx.request(), rest(ctx, "/admin/config/history/")));
    router.routeWithRegex("/admin/config/rollback/.+")
        .handler(ctx -> history.rollback(ctx.request(), rest(ctx, "/admin/config/rollback/")));
    router.route("/healthz").handler(ctx -> json(ctx.request(), 200, new JsonObject().put("status", "alive")));
    router.route("/readyz").handler(ctx -> readyz(ctx.request()));
    router.route("/metrics").handler(ctx -> metrics(ctx.request()));
    getOnly(router, "/admin/routes", view::routes);
    getOnly(router, "/admin/upstreams", view::upstreams);
    getOnly(router, "/admin/plugins", view::plugins);
    getOnly(router, "/admin/config", this::config);
    getOnly(router, "/admin/stats", stats::render);
    getOnly(router, "/admin/config/history", history::list);
    router.route("/admin/reload").handler(ctx -> reload(ctx.request()));
    router.routeWithRegex("/admin/?").handler(ctx -> statusPage(ctx.request()));
    router.route().handler(ctx -> json(ctx.request(), 404,
        new JsonObject().put("error", "not_found").put("path", ctx.request().path())));
    router.route().failureHandler(AdminFailures::handle);
    return router;
  }

  /** What follows {@code prefix} in the request's path. */
  private static String rest(RoutingContext ctx, String prefix) {
    return ctx.normalizedPath().substring(prefix.length());
  }

  private static void getOnly(Router router, String path, Supplier<Object> body) {
    router.route(path).handler(ctx -> whenGet(ctx.request(), ctx.request().method() == HttpMethod.GET, body));
  }

  /** The status page: one self-contained HTML file, no build step, no external assets. */
  private static final io.vertx.core.buffer.Buffer STATUS_PAGE = loadStatusPage();

  private static io.vertx.core.buffer.Buffer loadStatusPage() {
    try (var in = AdminApi.class.getResourceAsStream("status.html")) {
      return io.vertx.core.buffer.Buffer.buffer(in.readAllBytes());
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("status.html missing from the gateway jar", e);
    }
  }

  private static void statusPage(HttpServerRequest request) {
    request.response().putHeader("content-type", "text/html; charset=utf-8").end(STATUS_PAGE);
  }

  /**
   * Ready once listeners are bound, plugins warmed up and, with a config store, a snapshot read
   * from the store is running (a replica that started while the store was away serves its files
   * but does not claim to be ready).
   */
  private void readyz(HttpServerRequest request) {
    boolean started = gateway.ready().succeeded();
    boolean synced = reloader.storeSynced();
    boolean ready = started && synced;
    json(request, ready ? 200 : 503, new JsonObject()
        .put("status", ready ? "ready" : started ? "config_store_syncing" : "starting")
        .put("config_version", reloader.current().version())
        .put("config_revision", reloader.current().revision()));
  }

  private void metrics(HttpServerRequest request) {
    if (!(gateway.meterRegistry() instanceof PrometheusMeterRegistry prometheus)) {
      json(request, 404, new JsonObject().put("error", "metrics_disabled"));
      return;
    }
    request.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .end(prometheus.scrape());
  }

  private JsonObject config() {
    ValidatedConfig current = reloader.current();
    JsonObject body = new JsonObject()
        .put("version", current.version())
        .put("source", current.source())
        .put("applied_at", reloader.appliedAt().toString())
        .put("revision", current.revision())
        .put("routes", current.gateway().routes().size())
        .put("upstreams", current.gateway().upstreams().size());
    if (store != null) {
      body.put("store", new JsonObject(new java.util.LinkedHashMap<>(store.status())).put("synced", reloader.storeSynced()));
      JsonArray rejectedKeys = new JsonArray();
      for (RejectedEntry entry : current.rejected()) {
        rejectedKeys.add(new JsonObject().put("key", entry.key()).put("errors", ConfigWriteApi.errors(entry.errors())));
      }
      body.put("rejected_keys", rejectedKeys);
    }
    ConfigException error = reloader.lastError();
    if (error != null) {
      body.put("last_rejected", errors(error));
    }
    return body;
  }

  private void reload(HttpServerRequest request) {
    if (request.method() != HttpMethod.POST) {
      json(request, 405, new JsonObject().put("error", "method_not_allowed"));
      return;
    }
    reloader.reload().onComplete(ar -> {
      if (ar.succeeded()) {
        json(request, 200, new JsonObject().put("status", "applied").put("version", ar.result().version()));
      } else if (ar.cause() instanceof ConfigException e) {
        json(request, 400, new JsonObject().put("error", "invalid_config").put("errors", errors(e)));
      } else {
        json(request, 500, new JsonObject().put("error", "reload_failed").put("message", String.valueOf(ar.cause().getMessage())));
      }
    });
  }

  static JsonArray errors(ConfigException e) {
    JsonArray errors = new JsonArray();
    for (ConfigError error : e.errors()) {
      errors.add(new JsonObject()
          .put("source", error.origin() != null ? error.origin().source() : null)
          .put("line", error.origin() != null ? error.origin().line() : null)
          .put("path", error.path())
          .put("message", error.message())
          .put("text", error.toString()));
    }
    return errors;
  }

  private static void whenGet(HttpServerRequest request, boolean get, Supplier<Object> body) {
    if (!get) {
      json(request, 405, new JsonObject().put("error", "method_not_allowed"));
      return;
    }
    json(request, 200, body.get());
  }

  static void json(HttpServerRequest request, int status, Object body) {
    request.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(Json.encodePrettily(body));
  }
}
