package io.portico.plugins.ratelimit;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis connection and the Bucket4j proxy manager on it. Nothing here blocks: the first
 * connection is made asynchronously and retried every second until Redis answers; after that
 * Lettuce reconnects by itself. While disconnected, commands fail at once instead of queueing,
 * and every command fails after {@code timeout}, so a dead or hung Redis shows as a failed call.
 */
final class RedisStore {
  private static final Logger log = LoggerFactory.getLogger(RedisStore.class);
  /** How long a bucket stays in Redis after it would be full again (margin for clock skew). */
  private static final Duration KEEP_AFTER_FULL = Duration.ofSeconds(5);
  private static final long RETRY_SECONDS = 1;

  private final RedisURI uri;
  private final String display;
  private final ClientResources resources;
  private final RedisClient client;
  private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
  private volatile StatefulRedisConnection<byte[], byte[]> connection;
  private volatile AsyncProxyManager<byte[]> proxy;
  private volatile boolean closed;
  private boolean reportedUnreachable; // touched only by connect callbacks, which never overlap

  /** Starts connecting at once; {@code resources} (threads, timers) are shared and not closed here. */
  RedisStore(RateLimitConfig.Redis settings, UnaryOperator<String> env, ClientResources resources) {
    this.uri = RedisAddress.uri(settings, env);
    this.display = RedisAddress.display(uri);
    if (settings.passwordEnv() != null && env.apply(settings.passwordEnv()) == null) {
      log.warn("rate-limit store {}: environment variable {} is not set; connecting without a password",
          display, settings.passwordEnv());
    }
    this.resources = resources;
    this.client = RedisClient.create(resources, uri);
    Duration connectTimeout = settings.timeout().compareTo(Duration.ofSeconds(1)) > 0 ? settings.timeout() : Duration.ofSeconds(1);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
        .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
        .build());
    connect();
  }

  /** Completes (never fails) once the first connection attempt has succeeded or failed. */
  CompletableFuture<Void> firstAttempt() {
    return firstAttempt;
  }

  /** The proxy manager, or {@code null} until the first connection succeeded. */
  AsyncProxyManager<byte[]> proxy() {
    return proxy;
  }

  private void connect() {
    if (closed) {
      return;
    }
    client.connectAsync(ByteArrayCodec.INSTANCE, uri).whenComplete((c, failure) -> {
      if (failure != null) {
        unreachable(failure);
      } else if (closed) {
        c.closeAsync();
      } else {
        connected(c);
      }
      firstAttempt.complete(null);
    });
  }

  private void unreachable(Throwable failure) {
    if (!reportedUnreachable) {
      reportedUnreachable = true;
      log.warn("rate-limit store {} unreachable ({}); retrying every {} s", display, failure.getMessage(), RETRY_SECONDS);
    } else {
      log.debug("rate-limit store {} still unreachable: {}", display, failure.getMessage());
    }
    if (!closed) {
      try {
        resources.eventExecutorGroup().schedule(this::connect, RETRY_SECONDS, TimeUnit.SECONDS);
      } catch (RejectedExecutionException e) {
        log.debug("rate-limit store {} closed while connecting", display);
      }
    }
  }

  private void connected(StatefulRedisConnection<byte[], byte[]> c) {
    connection = c;
    proxy = Bucket4jLettuce.casBasedBuilder(c)
        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_FULL))
        .build()
        .asAsync();
    log.info("rate-limit store {} connected", display);
  }

  /** Closes the connection and the client; completes when both are closed. */
  CompletableFuture<Void> close() {
    closed = true;
    StatefulRedisConnection<byte[], byte[]> c = connection;
    CompletableFuture<Void> closing = c != null ? c.closeAsync() : CompletableFuture.completedFuture(null);
    return closing.thenCompose(v -> client.shutdownAsync(0, 2, TimeUnit.SECONDS));
  }
}
