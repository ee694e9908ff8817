package io.portico;

import io.portico.config.live.ConfigReloader;
import io.portico.config.live.ConfigStoreLink;
import io.portico.server.EventLoopTransport;
import io.portico.server.Gateway;
import io.portico.admin.AdminServer;
import io.portico.config.ConfigDocuments;
import io.portico.config.ConfigException;
import io.portico.config.load.ConfigLoader;
import io.portico.config.StoreBinding;
import io.portico.config.source.StoreOverlay;
import io.portico.config.ValidatedConfig;
import io.portico.server.metrics.ProcessMetrics;
import io.portico.plugin.PluginJars;
import io.portico.plugin.PluginRegistry;
import io.portico.plugin.PluginsDirectory;
import io.portico.registry.InstanceRegistry;
import io.portico.registry.LocalRegistry;
import io.portico.registry.LocalRegistryDiscovery;
import io.portico.registry.StoreRegistry;
import io.portico.spi.ConfigStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Portico process: the gateway on its config file (and config store, when the file names
 * one), the admin server, and live reload (file watch, store watch and {@code POST /admin/reload}).
 * The command line and the test kit both start one.
 */
public final class PorticoServer {
  private static final Logger log = LoggerFactory.getLogger(PorticoServer.class);

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Gateway gateway;
  private final AdminServer admin;
  private final ConfigReloader reloader;
  private final ProcessMetrics processMetrics;
  private final ConfigStoreLink store;
  private final LocalRegistry localRegistry;

  private PorticoServer(Vertx vertx, boolean ownsVertx, Gateway gateway, AdminServer admin, ConfigReloader reloader,
      ProcessMetrics processMetrics, ConfigStoreLink store, LocalRegistry localRegistry) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.gateway = gateway;
    this.admin = admin;
    this.reloader = reloader;
    this.processMetrics = processMetrics;
    this.store = store;
    this.localRegistry = localRegistry;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Gateway gateway() {
    return gateway;
  }

  public Vertx vertx() {
    return vertx;
  }

  public int port() {
    return gateway.port();
  }

  public int adminPort() {
    return admin.port();
  }

  public String listenAddress() {
    return reloader.current().gateway().listen().host() + ":" + port();
  }

  public String adminAddress() {
    return reloader.current().gateway().admin().host() + ":" + adminPort();
  }

  public Duration drainTimeout() {
    return reloader.current().gateway().drainTimeout();
  }

  /** Reloads the config files now; fails with the {@link ConfigException} of a rejected config. */
  public Future<ValidatedConfig> reload() {
    return reloader.reload();
  }

  /** The config store this server follows, or {@code null} when the config names none. */
  public ConfigStoreLink configStore() {
    return store;
  }

  /** The running config: its version, revision and the store entries it left out. */
  public ValidatedConfig currentConfig() {
    return reloader.current();
  }

  /** Drains in-flight requests (up to the drain timeout), then stops everything. */
  public Future<Void> stop() {
    return reloader.close()
        .compose(v -> gateway.shutdown(drainTimeout()))
        .compose(v -> admin.close())
        .andThen(v -> processMetrics.close())
        .eventually(() -> store != null ? store.close() : Future.succeededFuture())
        .andThen(v -> localRegistry.close())
        .eventually(() -> ownsVertx ? vertx.close() : Future.succeededFuture());
  }

  /** How to start a {@link PorticoServer}. */
  public static final class Builder {
    private Path config;
    private Vertx vertx;
    private PluginRegistry registry;
    private UnaryOperator<ValidatedConfig> adjust = UnaryOperator.identity();
    private Function<Vertx, Future<Void>> beforeStart = v -> Future.succeededFuture();
    private Duration storeWait = Duration.ofSeconds(5);

    private Builder() {}

    /** The config file or directory (required). */
    public Builder config(Path config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Runs on an existing Vert.x instance instead of creating (and later closing) one. */
    public Builder vertx(Vertx vertx) {
      this.vertx = vertx;
      return this;
    }

    /** The plugins to use; by default those found by ServiceLoader. */
    public Builder registry(PluginRegistry registry) {
      this.registry = registry;
      return this;
    }

    /** Adjusts every loaded config before use (the test kit forces free ports this way). */
    public Builder adjust(UnaryOperator<ValidatedConfig> adjust) {
      this.adjust = Objects.requireNonNull(adjust, "adjust");
      return this;
    }

    /** Something to start first on the server's Vert.x (the demo's echo backends). */
    public Builder beforeStart(Function<Vertx, Future<Void>> beforeStart) {
      this.beforeStart = Objects.requireNonNull(beforeStart, "beforeStart");
      return this;
    }

    /**
     * How long start-up waits for the config store's first snapshot (5s by default). A store that
     * does not answer in time is followed in the background: the gateway starts on its files and
     * {@code /readyz} answers 503 until the store's entries are applied.
     */
    public Builder storeWait(Duration storeWait) {
      this.storeWait = Objects.requireNonNull(storeWait, "storeWait");
      return this;
    }

    /**
     * Loads and validates the config on the calling thread (it reads files and waits for the
     * config store's first snapshot: never call this on an event loop), then starts the gateway
     * and the admin server.
     */
    public Future<PorticoServer> start() {
      Objects.requireNonNull(config, "config");
      PluginRegistry plugins;
      LocalRegistry localRegistry = new LocalRegistry();
      try {
        PluginRegistry found = registry != null ? registry
            : PluginJars.registry(PluginsDirectory.of(config), Thread.currentThread().getContextClassLoader());
        plugins = found.withEndpointSource(new LocalRegistryDiscovery(localRegistry));
      } catch (IllegalStateException e) {
        return Future.failedFuture(e);
      }
      ConfigLoader loader = new ConfigLoader(plugins);
      ValidatedConfig first;
      ConfigDocuments documents;
      ConfigStoreLink store = null;
      ConfigStore.Snapshot firstSnapshot = null;
      StoreOverlay overlay = null;
      try {
        documents = loader.read(config);
        StoreBinding binding = loader.store(documents);
        if (binding != null) {
          store = ConfigStoreLink.open(binding);
          firstSnapshot = store.awaitFirst(storeWait);
          String origin = store.store().describe();
          overlay = firstSnapshot == null ? StoreOverlay.empty(origin) : StoreOverlay.of(firstSnapshot, origin, null);
        }
        first = adjust.apply(loader.load(documents, config, overlay));
      } catch (ConfigException e) {
        closeQuietly(store);
        return Future.failedFuture(new IllegalStateException("invalid config:\n" + e.getMessage(), e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closeQuietly(store);
        return Future.failedFuture(e);
      }
      ConfigStoreLink link = store;
      StoreOverlay startOverlay = overlay;
      ConfigStore.Snapshot usedSnapshot = firstSnapshot;
      InstanceRegistry instances = link != null ? new StoreRegistry(link.type(), link.store()) : localRegistry;
      boolean owns = vertx == null;
      Vertx v = owns
          ? EventLoopTransport.vertx(new VertxOptions()
              .setEventLoopPoolSize(Math.max(1, first.gateway().listen().instances())))
          : vertx;
      return beforeStart.apply(v)
          .compose(x -> Gateway.start(v, first))
          .compose(gateway -> {
            ProcessMetrics metrics = ProcessMetrics.bind(gateway.meterRegistry(), v);
            ConfigReloader reloader = new ConfigReloader(v, loader, config, adjust, gateway, first, documents, startOverlay);
            if (link != null) {
              link.attach(reloader, usedSnapshot);
              link.bindMetrics(gateway.meterRegistry());
            }
            return AdminServer.start(v, first.gateway().admin(), gateway, reloader, plugins, link, instances)
                .onFailure(e -> metrics.close())
                .map(admin -> new PorticoServer(v, owns, gateway, admin, reloader, metrics, link, localRegistry))
                .compose(server -> reloader.watchIfConfigured().map(server));
          })
          .onFailure(e -> {
            log.error("start failed: {}", e.getMessage());
            closeQuietly(link);
            localRegistry.close();
            if (owns) {
              v.close();
            }
          });
    }

    private static void closeQuietly(ConfigStoreLink store) {
      if (store != null) {
        store.close();
      }
    }
  }
}
