package io.portico.tls;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches certificate, key and CA files for rotation: every second, off the event loops, it hashes
 * the files of each {@link WatchedTls} (following symbolic links, so a Kubernetes Secret volume's
 * atomic {@code ..data} swap counts as a change) and reloads those whose content changed. A change
 * that leaves the files unusable (a half-written pair, a key that does not match) is logged once
 * and the previous material keeps serving; the next change is tried again.
 */
public final class TlsFileWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(TlsFileWatcher.class);

  private final Vertx vertx;
  private final Supplier<List<WatchedTls>> sources;
  private final CertificateExpiry expiry;
  private final Map<String, Seen> seen = new HashMap<>(); // touched by one check at a time
  /** Set while a check runs: the timer skips a tick rather than queue another check. */
  private final AtomicBoolean checking = new AtomicBoolean();
  private volatile long timer = -1;

  private record Seen(Object owner, String fingerprint) {}

  /** @param sources what to watch, asked again at each check (upstreams come and go with reloads) */
  public TlsFileWatcher(Vertx vertx, Supplier<List<WatchedTls>> sources, CertificateExpiry expiry) {
    this.vertx = vertx;
    this.sources = sources;
    this.expiry = expiry;
  }

  /**
   * Starts checking every {@code periodMillis}; the first check loads what is on disk then. The
   * timer fires on an event loop, so it only hands the check to a worker: it never waits for one.
   */
  public void start(long periodMillis) {
    if (timer >= 0) {
      return;
    }
    tick();
    timer = vertx.setPeriodic(periodMillis, id -> tick());
  }

  public void stop() {
    long id = timer;
    timer = -1;
    if (id >= 0) {
      vertx.cancelTimer(id);
    }
  }

  private void tick() {
    if (!checking.compareAndSet(false, true)) {
      return; // the previous check is still reading files
    }
    vertx.executeBlocking(() -> {
      check();
      return null;
    }, false).onComplete(ar -> {
      checking.set(false);
      if (ar.failed()) {
        LOG.warn("certificate file check failed", ar.cause());
      }
    });
  }

  /** One round: reloads what changed. Blocking; one at a time (see {@link #checking}). */
  void check() {
    Set<String> present = new HashSet<>();
    for (WatchedTls source : sources.get()) {
      present.add(source.source());
      String fingerprint = fingerprint(source.files());
      Seen before = seen.get(source.source());
      seen.put(source.source(), new Seen(source.owner(), fingerprint));
      if (before == null || before.owner() != source.owner()) {
        // first sight: the files may have changed since the owner read them (between the start
        // or a config reload and this check), so what is on disk now is loaded once
        try {
          expiry.loaded(source.source(), source.reload());
        } catch (Exception e) {
          LOG.error("{}: certificate files are not usable, the ones loaded at start keep serving: {}",
              source.source(), e.getMessage());
        }
      } else if (!before.fingerprint().equals(fingerprint)) {
        try {
          expiry.loaded(source.source(), source.reload());
          LOG.info("{}: certificate files changed; new connections use them", source.source());
        } catch (Exception e) {
          LOG.error("{}: certificate files changed but are not usable, the previous ones keep serving: {}",
              source.source(), e.getMessage());
        }
      }
    }
    seen.keySet().removeIf(source -> {
      if (!present.contains(source)) {
        expiry.forget(source);
        return true;
      }
      return false;
    });
  }

  private static String fingerprint(List<Path> files) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Path file : files) {
        digest.update(file.toString().getBytes());
        try {
          digest.update(Files.readAllBytes(file)); // follows symbolic links
        } catch (IOException e) {
          digest.update((byte) 0); // missing for now: a change once it appears
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
