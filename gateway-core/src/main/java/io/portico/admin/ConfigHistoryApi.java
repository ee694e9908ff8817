package io.portico.admin;

import io.portico.config.ConfigException;
import io.portico.config.RejectedEntry;
import io.portico.config.live.ConfigDiff;
import io.portico.config.live.ConfigHistory;
import io.portico.config.live.ConfigReloader;
import io.portico.config.live.ConfigStoreLink;
import io.portico.config.source.StoreOverlay;
import io.portico.spi.ConfigStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /admin/config/history[/{version}]} and {@code POST /admin/config/rollback/{version}}.
 *
 * <p>A rollback writes the config store entries a kept version was built from back to the store,
 * as new revisions: entries that differ are put, entries that version did not have are deleted,
 * each write conditional on the entry being as this gateway last saw it (409 otherwise). The
 * result is validated first, like any admin write, and refused with its errors when it no longer
 * validates (the files may have changed since). The store has no multi-key transaction, so the
 * writes land one by one (upstreams before the routes that use them); the answer waits until this
 * gateway runs the last one. Without a config store there is nothing to write back: edit the files.
 */
final class ConfigHistoryApi {
  private static final Duration APPLY_WAIT = Duration.ofSeconds(5);

  private final ConfigReloader reloader;
  private final ConfigStoreLink link;

  ConfigHistoryApi(ConfigReloader reloader, ConfigStoreLink link) {
    this.reloader = reloader;
    this.link = link;
  }

  JsonObject list() {
    JsonArray versions = new JsonArray();
    for (ConfigHistory.Applied applied : reloader.history().list()) {
      versions.add(summary(applied));
    }
    return new JsonObject().put("current", reloader.current().version()).put("history", versions);
  }

  void one(HttpServerRequest request, String version) {
    if (request.method() != HttpMethod.GET) {
      AdminReplies.methodNotAllowed(request, "GET");
      return;
    }
    reloader.history().find(version).ifPresentOrElse(applied -> {
      JsonObject body = summary(applied);
      if (applied.storeEntries() != null) {
        JsonArray entries = new JsonArray();
        for (ConfigStore.Entry entry : applied.storeEntries()) {
          entries.add(new JsonObject().put("key", entry.key()).put("kind", entry.kind().name().toLowerCase())
              .put("name", entry.name()).put("mod_revision", entry.modRevision()).put("value", entry.value()));
        }
        body.put("store_entries", entries);
      }
      AdminApi.json(request, 200, body);
    }, () -> notKept(request, version));
  }

  void rollback(HttpServerRequest request, String version) {
    if (request.method() != HttpMethod.POST) {
      AdminReplies.methodNotAllowed(request, "POST");
      return;
    }
    if (link == null || reloader.overlay() == null) {
      AdminReplies.error(request, 409, "no_config_store", "this gateway's config comes from files: roll back by editing "
          + "the files (or checking out their previous version) and POST /admin/reload");
      return;
    }
    if (link.store().readOnly()) {
      AdminReplies.error(request, 405, "read_only_store", "the config store (" + link.store().describe() + ") is read-only");
      return;
    }
    ConfigHistory.Applied target = reloader.history().find(version).orElse(null);
    if (target == null || target.storeEntries() == null) {
      notKept(request, version);
      return;
    }
    StoreOverlay current = reloader.overlay();
    List<Write> writes = writes(target.storeEntries(), current);
    if (writes.isEmpty()) {
      AdminApi.json(request, 200, new JsonObject().put("status", "unchanged").put("version", version)
          .put("message", "the store already holds the entries of " + version));
      return;
    }
    StoreOverlay candidate = current;
    for (Write write : writes) {
      candidate = write.value() == null ? candidate.without(write.key())
          : candidate.with(new ConfigStore.Entry(write.kind(), write.name(), write.key(), write.value(), Long.MAX_VALUE));
    }
    long start = System.nanoTime();
    AdminReplies.onContext(reloader.check(candidate), checked -> {
      if (checked.failed()) {
        if (checked.cause() instanceof ConfigException invalid) {
          AdminApi.json(request, 409, new JsonObject().put("error", "rollback_invalid")
              .put("message", "the entries of " + version + " no longer make a valid config; nothing was written")
              .put("errors", AdminApi.errors(invalid)));
        } else {
          AdminReplies.error(request, 500, "check_failed", String.valueOf(checked.cause().getMessage()));
        }
        return;
      }
      JsonArray rejected = new JsonArray();
      for (RejectedEntry entry : checked.result().rejected()) {
        rejected.add(new JsonObject().put("key", entry.key()).put("errors", ConfigWriteApi.errors(entry.errors())));
      }
      if (!rejected.isEmpty()) {
        AdminApi.json(request, 409, new JsonObject().put("error", "rollback_invalid")
            .put("message", "entries of " + version + " no longer validate; nothing was written")
            .put("entries", rejected));
        return;
      }
      write(writes, 0, 0).onComplete(done -> AdminReplies.onContext(done.succeeded()
          ? reloader.awaitRevision(done.result(), APPLY_WAIT) : Future.<Boolean>failedFuture(done.cause()), applied -> {
        if (done.failed()) {
          int status = done.cause() instanceof ConfigStore.StaleWriteException ? 409 : 503;
          AdminReplies.error(request, status, status == 409 ? "conflict" : "store_unavailable",
              "rollback to " + version + " stopped: " + done.cause().getMessage());
          return;
        }
        reloader.written(done.result(), start);
        AdminApi.json(request, 200, new JsonObject().put("status", "rolled_back").put("version", version)
            .put("revision", done.result()).put("writes", writes.size())
            .put("applied", applied.succeeded() && applied.result()));
      }));
    });
  }

  /** One store write of a rollback; {@code value} null deletes. */
  private record Write(ConfigStore.Kind kind, String name, String key, String value, long expected) {}

  /** What turns the store's {@code current} entries into {@code target}'s: puts, then deletes. */
  private static List<Write> writes(List<ConfigStore.Entry> target, StoreOverlay current) {
    Map<String, ConfigStore.Entry> now = new LinkedHashMap<>();
    current.entries().values().forEach(parsed -> now.put(parsed.entry().key(), parsed.entry()));
    Map<String, ConfigStore.Entry> wanted = new LinkedHashMap<>();
    target.forEach(entry -> wanted.put(entry.key(), entry));
    List<Write> puts = new ArrayList<>();
    List<Write> deletes = new ArrayList<>();
    for (ConfigStore.Entry entry : wanted.values()) {
      ConfigStore.Entry existing = now.get(entry.key());
      if (existing == null || !Objects.equals(existing.value(), entry.value())) {
        puts.add(new Write(entry.kind(), entry.name(), entry.key(), entry.value(), existing == null ? 0 : existing.modRevision()));
      }
    }
    for (ConfigStore.Entry entry : now.values()) {
      if (!wanted.containsKey(entry.key())) {
        deletes.add(new Write(entry.kind(), entry.name(), entry.key(), null, entry.modRevision()));
      }
    }
    // what others refer to first when writing, last when deleting
    Comparator<Write> referredFirst = Comparator.comparingInt(w -> w.kind() == ConfigStore.Kind.ROUTE ? 1 : 0);
    puts.sort(referredFirst);
    deletes.sort(referredFirst.reversed());
    List<Write> all = new ArrayList<>(puts);
    all.addAll(deletes);
    return all;
  }

  /** Writes {@code writes} from {@code index} one after the other; the last revision written. */
  private Future<Long> write(List<Write> writes, int index, long revision) {
    if (index == writes.size()) {
      return Future.succeededFuture(revision);
    }
    Write w = writes.get(index);
    Future<ConfigStore.Write> written = w.value() == null
        ? link.store().delete(w.kind(), w.name(), w.expected())
        : link.store().put(w.kind(), w.name(), w.value(), w.expected());
    return written.compose(result -> write(writes, index + 1, result.revision()));
  }

  private static JsonObject summary(ConfigHistory.Applied applied) {
    return new JsonObject()
        .put("version", applied.version())
        .put("revision", applied.revision())
        .put("source", applied.source())
        .put("applied_at", applied.appliedAt().toString())
        .put("changes", changes(applied.changes()))
        .put("rollback", applied.storeEntries() != null);
  }

  private static JsonObject changes(ConfigDiff diff) {
    return new JsonObject()
        .put("added", new JsonObject(new LinkedHashMap<>(diff.added())))
        .put("removed", new JsonObject(new LinkedHashMap<>(diff.removed())))
        .put("modified", new JsonObject(new LinkedHashMap<>(diff.modified())));
  }

  private static void notKept(HttpServerRequest request, String version) {
    AdminReplies.error(request, 404, "unknown_version", "no applied config " + version + " among the last "
        + ConfigHistory.CAPACITY + " kept (GET /admin/config/history lists them)");
  }
}
