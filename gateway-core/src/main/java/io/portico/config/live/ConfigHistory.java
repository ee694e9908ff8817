package io.portico.config.live;

import io.portico.config.ValidatedConfig;
import io.portico.config.source.StoreOverlay;
import io.portico.spi.ConfigStore;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The last {@value #CAPACITY} configs this gateway applied, newest first, each with what changed
 * from the one before and, with a config store, the store entries it was built from (what a
 * rollback writes back). Bounded: the oldest is forgotten.
 */
public final class ConfigHistory {
  public static final int CAPACITY = 50;

  /**
   * One applied config.
   *
   * @param storeEntries the config store's entries it was built from; {@code null} without a store
   */
  public record Applied(String version, String revision, String source, Instant appliedAt, ConfigDiff changes,
      List<ConfigStore.Entry> storeEntries) {}

  private final Deque<Applied> applied = new ArrayDeque<>();
  private ValidatedConfig last;

  /** Records {@code config} as applied now, built with {@code overlay} (null without a store). */
  public synchronized void applied(ValidatedConfig config, StoreOverlay overlay) {
    List<ConfigStore.Entry> entries = null;
    if (overlay != null) {
      entries = new ArrayList<>();
      for (StoreOverlay.Parsed parsed : overlay.entries().values()) {
        entries.add(parsed.entry());
      }
    }
    ConfigDiff changes = ConfigDiff.between(last == null ? null : last.gateway(), config.gateway());
    applied.addFirst(new Applied(config.version(), config.revision(), config.source(), Instant.now(), changes,
        entries == null ? null : List.copyOf(entries)));
    while (applied.size() > CAPACITY) {
      applied.removeLast();
    }
    last = config;
  }

  /** Newest first. */
  public synchronized List<Applied> list() {
    return List.copyOf(applied);
  }

  /** The newest entry of {@code version} still kept. */
  public synchronized Optional<Applied> find(String version) {
    return applied.stream().filter(a -> a.version().equals(version)).findFirst();
  }
}
