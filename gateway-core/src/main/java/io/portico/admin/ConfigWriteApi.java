package io.portico.admin;

import io.portico.config.live.ConfigReloader;
import io.portico.config.live.ConfigStoreLink;
import io.portico.config.ConfigError;
import io.portico.config.ConfigException;
import io.portico.config.RejectedEntry;
import io.portico.config.source.StoreOverlay;
import io.portico.config.ValidatedConfig;
import io.portico.spi.ConfigStore;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code PUT} and {@code DELETE /admin/routes/{name}} and {@code /admin/upstreams/{name}}: checks
 * the change as the config it would give (the files with the store's entries and this change laid
 * over them, validated like files), and only then writes it to the config store, on the condition
 * that the entry is still as this gateway last saw it. Every replica, this one included, applies
 * it from the store's watch; the answer waits (up to 5 s) until this gateway runs the written
 * revision ({@code "applied": true}), so a client's next request or write sees its own change.
 *
 * <ul>
 *   <li>400: the object is invalid; every error with its field path relative to the object
 *   <li>409: the change would make other entries or the files invalid, the entry changed
 *       meanwhile, or there is no config store
 *   <li>404: {@code DELETE} of an entry the store does not hold
 *   <li>503: the store did not take the write
 * </ul>
 */
final class ConfigWriteApi {
  /** How long an answer waits for this gateway to run what it wrote. */
  private static final Duration APPLY_WAIT = Duration.ofSeconds(5);

  private final ConfigReloader reloader;
  private final ConfigStoreLink link;

  ConfigWriteApi(ConfigReloader reloader, ConfigStoreLink link) {
    this.reloader = reloader;
    this.link = link;
  }

  void handle(RoutingContext ctx, ConfigStore.Kind kind, String name) {
    HttpServerRequest request = ctx.request();
    String noun = kind.name().toLowerCase(Locale.ROOT);
    if (request.method() != HttpMethod.PUT && request.method() != HttpMethod.DELETE) {
      AdminReplies.methodNotAllowed(request, "PUT, DELETE");
      return;
    }
    if (!AdminReplies.NAME.matcher(name).matches()) {
      AdminReplies.error(request, 400, "invalid_name", "a " + noun + " name is 1 to 128 letters, digits, '.', '_' or '-', "
          + "starting with a letter or digit; got \"" + name + "\"");
      return;
    }
    if (link == null || reloader.overlay() == null) {
      AdminReplies.error(request, 409, "no_config_store", noun + "s are written through the admin API only to a config "
          + "store: set config.etcd (config.kubernetes is read-only); without one, edit the config files and POST /admin/reload");
      return;
    }
    if (link.store().readOnly()) {
      AdminReplies.error(request, 405, "read_only_store", "the config store (" + link.store().describe() + ") is read-only: "
          + noun + "s come from " + link.type() + "; change them there");
      return;
    }
    long start = System.nanoTime();
    if (request.method() == HttpMethod.PUT) {
      AdminReplies.jsonBody(ctx).onSuccess(body -> put(request, kind, name, body, start));
    } else {
      delete(request, kind, name, start);
    }
  }

  private void put(HttpServerRequest request, ConfigStore.Kind kind, String name, JsonObject body, long start) {
    ConfigStore store = link.store();
    StoreOverlay overlay = reloader.overlay();
    String key = store.key(kind, name);
    String json = body.encode();
    ConfigStore.Entry existing = overlay.entry(kind, name);
    StoreOverlay candidate = overlay.with(new ConfigStore.Entry(kind, name, key, json, Long.MAX_VALUE));
    AdminReplies.onContext(reloader.check(candidate), checked -> {
      if (refused(request, kind, key, checked.succeeded() ? checked.result() : null, checked.cause())) {
        return;
      }
      long expected = existing == null ? 0 : existing.modRevision();
      AdminReplies.onContext(store.put(kind, name, json, expected), written -> answer(request, written.succeeded() ? written.result() : null,
          written.cause(), start, written.succeeded() && !written.result().existed() ? 201 : 200));
    });
  }

  private void delete(HttpServerRequest request, ConfigStore.Kind kind, String name, long start) {
    ConfigStore store = link.store();
    StoreOverlay overlay = reloader.overlay();
    ConfigStore.Entry existing = overlay.entry(kind, name);
    String key = store.key(kind, name);
    if (existing == null) {
      AdminReplies.error(request, 404, "not_found", "no " + kind.name().toLowerCase(Locale.ROOT) + " \"" + name + "\" at " + key
          + " (entries of the config files are removed by editing the files)");
      return;
    }
    AdminReplies.onContext(reloader.check(overlay.without(key)), checked -> {
      if (refused(request, kind, key, checked.succeeded() ? checked.result() : null, checked.cause())) {
        return;
      }
      AdminReplies.onContext(store.delete(kind, name, existing.modRevision()), written -> answer(request,
          written.succeeded() ? written.result() : null, written.cause(), start, 200));
    });
  }

  /** Answers 400 or 409 when the checked config refuses the change; false when it may be written. */
  boolean refused(HttpServerRequest request, ConfigStore.Kind kind, String key, ValidatedConfig checked, Throwable failure) {
    if (failure instanceof ConfigException whole) {
      AdminApi.json(request, 409, new JsonObject().put("error", "would_break_config")
          .put("message", "with this change the config is invalid; nothing was written")
          .put("errors", AdminApi.errors(whole)));
      return true;
    }
    if (failure != null) {
      AdminReplies.error(request, 500, "check_failed", String.valueOf(failure.getMessage()));
      return true;
    }
    Set<String> rejectedBefore = new HashSet<>();
    reloader.current().rejected().forEach(entry -> rejectedBefore.add(entry.key()));
    JsonArray others = new JsonArray();
    for (RejectedEntry entry : checked.rejected()) {
      if (entry.key().equals(key)) {
        AdminApi.json(request, 400, new JsonObject().put("error", "invalid_" + kind.name().toLowerCase(Locale.ROOT))
            .put("key", key)
            .put("message", "nothing was written")
            .put("errors", errors(entry.errors())));
        return true;
      }
      if (!rejectedBefore.contains(entry.key())) {
        others.add(new JsonObject().put("key", entry.key()).put("errors", errors(entry.errors())));
      }
    }
    if (!others.isEmpty()) {
      AdminApi.json(request, 409, new JsonObject().put("error", "would_invalidate_others")
          .put("message", "this change would make other entries invalid; nothing was written")
          .put("entries", others));
      return true;
    }
    return false;
  }

  void answer(HttpServerRequest request, ConfigStore.Write write, Throwable failure, long start, int status) {
    if (failure instanceof ConfigStore.StaleWriteException stale) {
      AdminReplies.error(request, 409, "conflict", stale.getMessage());
      return;
    }
    if (failure instanceof UnsupportedOperationException readOnly) {
      AdminReplies.error(request, 405, "read_only_store", readOnly.getMessage());
      return;
    }
    if (failure != null) {
      AdminReplies.error(request, 503, "store_unavailable", "the config store did not take the write: " + failure.getMessage());
      return;
    }
    reloader.written(write.revision(), start);
    AdminReplies.onContext(reloader.awaitRevision(write.revision(), APPLY_WAIT), applied -> AdminApi.json(request, status,
        new JsonObject()
            .put("key", write.key())
            .put("revision", write.revision())
            .put("status", request.method() == HttpMethod.DELETE ? "deleted" : "written")
            .put("applied", applied.succeeded() && applied.result())));
  }

  static JsonArray errors(List<ConfigError> errors) {
    JsonArray array = new JsonArray();
    for (ConfigError error : errors) {
      array.add(new JsonObject()
          .put("path", error.path())
          .put("line", error.origin() != null ? error.origin().line() : null)
          .put("message", error.message()));
    }
    return array;
  }
}
