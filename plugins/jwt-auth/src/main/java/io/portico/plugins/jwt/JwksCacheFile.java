package io.portico.plugins.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An issuer's last good key set on disk ({@code jwks-cache}), so a restarted gateway verifies
 * tokens while the IdP is down. Only public keys are written, as a plain JWK set; the file's
 * modification time is the set's fetch time. Reads and writes go through the Vert.x asynchronous
 * file system (worker threads, never an event loop). A write goes to a temporary file in the same
 * folder and then replaces the cache by an atomic move, so no reader ever sees half a set.
 */
final class JwksCacheFile {
  private static final Logger log = LoggerFactory.getLogger(JwksCacheFile.class);

  /** A key set read back, with the time it was written. */
  record Entry(JWKSet keys, long writtenAtMillis) {}

  private final Vertx vertx;
  private final Path path;
  private final AtomicBoolean failing = new AtomicBoolean();
  private Future<Void> writes = Future.succeededFuture();

  JwksCacheFile(Vertx vertx, Path path) {
    this.vertx = vertx;
    this.path = path.toAbsolutePath();
  }

  Path path() {
    return path;
  }

  /** The cached set, {@code null} when there is no file yet; fails when it cannot be read or parsed. */
  Future<Entry> load() {
    FileSystem fs = vertx.fileSystem();
    String file = path.toString();
    return fs.exists(file).compose(exists -> !exists ? Future.succeededFuture(null)
        : fs.props(file).compose(props -> fs.readFile(file).map(content -> parse(content, props.lastModifiedTime()))));
  }

  private static Entry parse(Buffer content, long modified) {
    try {
      return new Entry(JWKSet.parse(content.toString(StandardCharsets.UTF_8)).toPublicJWKSet(), modified);
    } catch (ParseException e) {
      throw new IllegalArgumentException("not a JWK set: " + e.getMessage(), e);
    }
  }

  /** Writes {@code keys} (public parts only) after any write still under way; failures are logged once per streak. */
  void store(JWKSet keys) {
    String json = keys.toPublicJWKSet().toString();
    synchronized (this) {
      writes = writes.transform(previous -> write(json));
    }
  }

  private Future<Void> write(String json) {
    FileSystem fs = vertx.fileSystem();
    // a name of its own, so two gateways (or a reload's old and new plugin) never share a temp file
    String temp = path.resolveSibling("." + path.getFileName() + "." + UUID.randomUUID() + ".tmp").toString();
    return fs.mkdirs(path.getParent().toString())
        .compose(v -> fs.writeFile(temp, Buffer.buffer(json)))
        .compose(v -> fs.move(temp, path.toString(), new CopyOptions().setAtomicMove(true).setReplaceExisting(true)))
        .onSuccess(v -> {
          if (failing.compareAndSet(true, false)) {
            log.info("JWKS cache {} is written again", path);
          }
        })
        .recover(e -> {
          if (failing.compareAndSet(false, true)) {
            log.warn("cannot write the JWKS cache {}: {}", path, e.toString());
          }
          return fs.delete(temp).otherwiseEmpty();
        });
  }
}
