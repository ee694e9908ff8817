package io.portico.config.live;

import io.portico.config.StoreBinding;
import io.portico.plugin.PluginCalls;
import io.portico.spi.ConfigStore;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's open config store: follows it from start-up, hands every snapshot to the
 * {@link ConfigReloader} once there is one, and serves the admin API's writes. Snapshots arrive on
 * the store's threads; the reloader takes them from there to its own worker.
 */
public final class ConfigStoreLink implements ConfigStore.Listener {
  private static final Logger log = LoggerFactory.getLogger(ConfigStoreLink.class);

  private final String type;
  private final ConfigStore store;
  private final CompletableFuture<ConfigStore.Snapshot> first = new CompletableFuture<>();
  private ConfigReloader reloader;
  private ConfigStore.Snapshot latest;
  private ConfigStore.Snapshot handedOver;
  private volatile String unavailable;

  private ConfigStoreLink(String type, ConfigStore store) {
    this.type = type;
    this.store = store;
  }

  /** Opens the store and starts following it. */
  public static ConfigStoreLink open(StoreBinding binding) {
    String what = "config store " + binding.type();
    ConfigStoreLink link = new ConfigStoreLink(binding.type(),
        PluginCalls.call(what + ": open", binding.factory(), binding::open));
    PluginCalls.call(what + ": follow", link.store, () -> {
      link.store.follow(link);
      return null;
    });
    return link;
  }

  /**
   * The first snapshot, waiting for it up to {@code timeout} on the calling thread (start-up,
   * never an event loop); {@code null} when the store did not answer in time.
   */
  public ConfigStore.Snapshot awaitFirst(Duration timeout) throws InterruptedException {
    try {
      return first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("config store {} did not answer within {} ms: starting on the files; its entries apply once it answers",
          store.describe(), timeout.toMillis());
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return null;
    }
  }

  /** From now on, snapshots go to {@code reloader}; one that arrived after {@code used} goes at once. */
  public synchronized void attach(ConfigReloader target, ConfigStore.Snapshot used) {
    this.reloader = target;
    this.handedOver = used;
    if (latest != null && latest != used) {
      target.onStoreSnapshot(latest);
    }
  }

  @Override
  public void onSnapshot(ConfigStore.Snapshot snapshot) {
    unavailable = null;
    ConfigReloader target;
    synchronized (this) {
      latest = snapshot;
      target = snapshot != handedOver ? reloader : null;
    }
    first.complete(snapshot);
    if (target != null) {
      target.onStoreSnapshot(snapshot);
    }
  }

  @Override
  public void onUnavailable(String reason) {
    unavailable = reason;
    log.warn("config store {}: {}; the running config stays", store.describe(), reason);
  }

  /** The store, for the admin API's writes. */
  public ConfigStore store() {
    return store;
  }

  /** The {@code config:} key of the store: {@code etcd}. */
  public String type() {
    return type;
  }

  /** {@code portico_config_store_available}: 1 while the store answers, 0 while it is away (alerted on). */
  public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    io.micrometer.core.instrument.Gauge.builder("portico.config.store.available", this, l -> l.unavailable == null ? 1 : 0)
        .description("1 while the config store answers, 0 while it is unreachable")
        .tag("type", type)
        .register(registry);
  }

  /** What {@code /admin/config} shows about the store. */
  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("type", type);
    status.put("location", store.describe());
    status.put("available", unavailable == null);
    if (unavailable != null) {
      status.put("unavailable_reason", unavailable);
    }
    status.putAll(PluginCalls.call("config store " + type + ": status", store, store::status));
    return status;
  }

  public Future<Void> close() {
    return PluginCalls.close("config store " + type, store, store::close);
  }
}
