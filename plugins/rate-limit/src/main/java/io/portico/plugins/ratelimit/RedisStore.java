package io.portico.plugins.ratelimit;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis connection and its Bucket4j async proxy manager, shared by every route that names the
 * same Redis settings (reference-counted). Connecting never blocks an event loop: the first
 * connection is made asynchronously and retried every second until Redis answers; after that
 * Lettuce reconnects by itself. While disconnected, commands fail at once instead of queueing.
 */
final class RedisStore {
  private static final Logger log = LoggerFactory.getLogger(RedisStore.class);
  private static final Map<RateLimitConfig.Redis, RedisStore> SHARED = new HashMap<>();
  private static final ScheduledExecutorService RETRY = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "portico-ratelimit-redis");
    t.setDaemon(true);
    return t;
  });

  private final RateLimitConfig.Redis settings;
  private final RedisClient client;
  private final RedisURI uri;
  private final ClientResources resources;
  private final Duration expiry;
  private volatile StatefulRedisConnection<byte[], byte[]> connection;
  private volatile AsyncProxyManager<byte[]> proxy;
  private volatile boolean closed;
  private int users;

  private RedisStore(RateLimitConfig.Redis settings, Duration expiry) {
    this.settings = settings;
    this.expiry = expiry;
    this.uri = RedisURI.create(settings.uri());
    if (settings.passwordEnv() != null) {
      String password = System.getenv(settings.passwordEnv());
      if (password != null) {
        uri.setPassword(password.toCharArray());
      }
    }
    uri.setTimeout(settings.timeout());
    // reconnect quickly after an outage: the default backoff grows to 30 s
    this.resources = DefaultClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
        .build());
    connect();
  }

  /** The shared store for these settings; {@link #release()} when done. */
  static synchronized RedisStore acquire(RateLimitConfig.Redis settings, Duration expiry) {
    RedisStore store = SHARED.computeIfAbsent(settings, s -> new RedisStore(s, expiry));
    store.users++;
    return store;
  }

  void release() {
    synchronized (RedisStore.class) {
      if (--users > 0) {
        return;
      }
      SHARED.remove(settings);
    }
    closed = true;
    StatefulRedisConnection<byte[], byte[]> c = connection;
    if (c != null) {
      c.closeAsync();
    }
    client.shutdownAsync().thenRun(resources::shutdown);
  }

  private void connect() {
    if (closed) {
      return;
    }
    client.connectAsync(ByteArrayCodec.INSTANCE, uri).whenComplete((c, failure) -> {
      if (failure != null) {
        log.warn("rate-limit store {} unreachable ({}); retrying", settings.uri(), failure.getMessage());
        RETRY.schedule(this::connect, 1, TimeUnit.SECONDS);
        return;
      }
      connection = c;
      proxy = Bucket4jLettuce.casBasedBuilder(c)
          .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(expiry))
          .requestTimeout(settings.timeout())
          .build()
          .asAsync();
      log.info("rate-limit store {} connected", settings.uri());
    });
  }

  /** The proxy manager, or {@code null} before the first connection succeeded. */
  AsyncProxyManager<byte[]> proxy() {
    return proxy;
  }
}
