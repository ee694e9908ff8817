package io.portico.admin;

import io.portico.config.live.ConfigReloader;
import io.portico.config.live.ConfigStoreLink;
import io.portico.config.source.StoreOverlay;
import io.portico.spi.ConfigStore;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code PUT} and {@code DELETE /admin/plugins/{name}}: one global plugin's block in the config
 * store's single {@code plugins} entry (a JSON object keyed by plugin name). The whole entry is
 * rewritten, conditional on it being as this gateway last saw it, after the config it would give
 * was checked; answers as {@link ConfigWriteApi} does (400 invalid, 409 would break the config or
 * changed meanwhile, 404 deleting a plugin the store does not hold, 503 store unavailable).
 */
final class PluginWriteApi {
  private final ConfigReloader reloader;
  private final ConfigStoreLink link;
  private final ConfigWriteApi writes;

  PluginWriteApi(ConfigReloader reloader, ConfigStoreLink link, ConfigWriteApi writes) {
    this.reloader = reloader;
    this.link = link;
    this.writes = writes;
  }

  void handle(RoutingContext ctx, String name) {
    HttpServerRequest request = ctx.request();
    if (request.method() != HttpMethod.PUT && request.method() != HttpMethod.DELETE) {
      AdminReplies.methodNotAllowed(request, "PUT, DELETE");
      return;
    }
    if (!AdminReplies.NAME.matcher(name).matches()) {
      AdminReplies.error(request, 400, "invalid_name", "not a plugin name: \"" + name + "\"");
      return;
    }
    if (link == null || reloader.overlay() == null) {
      AdminReplies.error(request, 409, "no_config_store", "global plugins are written through the admin API only to a "
          + "config store (config.etcd); without one, edit the config files and POST /admin/reload");
      return;
    }
    if (link.store().readOnly()) {
      AdminReplies.error(request, 405, "read_only_store", "the config store (" + link.store().describe() + ") is read-only");
      return;
    }
    long start = System.nanoTime();
    if (request.method() == HttpMethod.PUT) {
      AdminReplies.jsonBody(ctx).onSuccess(block -> write(request, name, block, start));
    } else {
      write(request, name, null, start);
    }
  }

  private void write(HttpServerRequest request, String name, JsonObject block, long start) {
    ConfigStore store = link.store();
    StoreOverlay overlay = reloader.overlay();
    ConfigStore.Entry existing = overlay.entry(ConfigStore.Kind.PLUGINS, "plugins");
    JsonObject plugins;
    try {
      plugins = existing == null ? new JsonObject() : new JsonObject(existing.value());
    } catch (DecodeException e) {
      plugins = new JsonObject(); // the stored entry is not JSON: this write replaces it
    }
    if (block == null && !plugins.containsKey(name)) {
      AdminReplies.error(request, 404, "not_found", "the config store holds no global plugin \"" + name + "\""
          + " (global plugins of the config files are removed by editing the files)");
      return;
    }
    boolean existed = plugins.containsKey(name);
    if (block == null) {
      plugins.remove(name);
    } else {
      plugins.put(name, block);
    }
    String key = store.key(ConfigStore.Kind.PLUGINS, "plugins");
    boolean deleteEntry = plugins.isEmpty();
    String json = plugins.encode();
    StoreOverlay candidate = deleteEntry ? overlay.without(key)
        : overlay.with(new ConfigStore.Entry(ConfigStore.Kind.PLUGINS, "plugins", key, json, Long.MAX_VALUE));
    long expected = existing == null ? 0 : existing.modRevision();
    AdminReplies.onContext(reloader.check(candidate), checked -> {
      if (writes.refused(request, ConfigStore.Kind.PLUGINS, key, checked.succeeded() ? checked.result() : null, checked.cause())) {
        return;
      }
      var written = deleteEntry ? store.delete(ConfigStore.Kind.PLUGINS, "plugins", expected)
          : store.put(ConfigStore.Kind.PLUGINS, "plugins", json, expected);
      AdminReplies.onContext(written, result -> writes.answer(request, result.succeeded() ? result.result() : null,
          result.cause(), start, block != null && !existed ? 201 : 200));
    });
  }
}
