package io.portico.cli;

import io.portico.config.ConfigDocuments;
import io.portico.config.ConfigError;
import io.portico.config.ConfigException;
import io.portico.config.ConfigNode;
import io.portico.config.RejectedEntry;
import io.portico.config.StoreBinding;
import io.portico.config.ValidatedConfig;
import io.portico.config.live.ConfigStoreLink;
import io.portico.config.load.ConfigLoader;
import io.portico.config.source.StoreOverlay;
import io.portico.plugin.PluginRegistry;
import io.portico.spi.ConfigStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code portico validate FILE --etcd URL}: what a gateway on {@code FILE} would load from the etcd
 * at {@code URL}, checked before any gateway loads it. The file's {@code config.etcd} settings are
 * kept (prefix, credentials) with the endpoints replaced by {@code URL}; the store's entries are
 * read once and laid over the file as a running gateway does. Every entry the gateway would leave
 * out is an error (exit 1), as is a store that does not answer.
 */
final class StoreValidation {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private StoreValidation() {}

  static int check(PluginRegistry plugins, Path config, String url, PrintStream out, PrintStream err) {
    ConfigLoader loader = new ConfigLoader(plugins);
    ConfigStoreLink link = null;
    try {
      ConfigDocuments documents = withEtcd(loader.read(config), url);
      StoreBinding binding = loader.store(documents);
      link = ConfigStoreLink.open(binding);
      ConfigStore.Snapshot snapshot = link.awaitFirst(WAIT);
      if (snapshot == null) {
        err.println("etcd at " + url + " did not answer within " + WAIT.toSeconds() + " s");
        return 1;
      }
      String origin = link.store().describe();
      ValidatedConfig loaded = loader.load(documents, config, StoreOverlay.of(snapshot, origin, null));
      for (RejectedEntry rejected : loaded.rejected()) {
        for (ConfigError error : rejected.errors()) {
          err.println(error);
        }
      }
      if (!loaded.rejected().isEmpty()) {
        err.println(loaded.rejected().size() + " stored entr" + (loaded.rejected().size() == 1 ? "y" : "ies")
            + " in " + origin + " would be left out");
        return 1;
      }
      out.println("OK " + config + " with " + origin + " at revision " + snapshot.revision() + " ("
          + snapshot.entries().size() + " stored entries; " + loaded.gateway().routes().size() + " routes, "
          + loaded.gateway().upstreams().size() + " upstreams, version " + loaded.version() + ")");
      return 0;
    } catch (ConfigException e) {
      for (ConfigError error : e.errors()) {
        err.println(error);
      }
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      if (link != null) {
        try {
          link.close().toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          // closing a store we only read from: nothing to report
        }
      }
    }
  }

  /** The documents with {@code config.etcd.endpoints} set to {@code url}, the rest of the block kept. */
  private static ConfigDocuments withEtcd(ConfigDocuments documents, String url) {
    ConfigNode.Origin at = new ConfigNode.Origin("--etcd", 0);
    ConfigNode.Mapping root = documents.root();
    ConfigNode.Mapping config = root.entries().get("config") instanceof ConfigNode.Mapping m ? m : empty(at);
    ConfigNode.Mapping etcd = config.entries().get("etcd") instanceof ConfigNode.Mapping m ? m : empty(at);
    ConfigNode endpoints = new ConfigNode.Sequence(List.of(new ConfigNode.Scalar(url, true, at)), at);
    return new ConfigDocuments(put(root, "config", put(config, "etcd", put(etcd, "endpoints", endpoints, at), at), at),
        documents.files(), documents.directories(), documents.version());
  }

  private static ConfigNode.Mapping empty(ConfigNode.Origin at) {
    return new ConfigNode.Mapping(Map.of(), Map.of(), at);
  }

  private static ConfigNode.Mapping put(ConfigNode.Mapping mapping, String key, ConfigNode value, ConfigNode.Origin at) {
    Map<String, ConfigNode> entries = new LinkedHashMap<>(mapping.entries());
    Map<String, ConfigNode.Origin> origins = new LinkedHashMap<>(mapping.keyOrigins());
    entries.put(key, value);
    origins.putIfAbsent(key, at);
    return new ConfigNode.Mapping(entries, origins, mapping.origin());
  }
}
