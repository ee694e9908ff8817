package io.portico.upstream.dns;

import io.portico.spi.Endpoint;
import io.portico.spi.EndpointSnapshot;
import io.portico.spi.EndpointSource;
import io.portico.upstream.HostResolver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the addresses of one host name: resolves it at start and every refresh with Vert.x's
 * asynchronous resolver and publishes a snapshot when the set of addresses changed. A failed
 * resolution keeps the last good set: it is logged once, and the same endpoints are published
 * again under a version naming the failure (shown as {@code discovery_version} at
 * {@code /admin/upstreams}) until a resolution succeeds again.
 */
final class DnsEndpointSource implements EndpointSource {
  private static final Logger LOG = LoggerFactory.getLogger(DnsEndpointSource.class);

  private final Vertx vertx;
  private final String name;
  private final int port;
  private final long refreshMillis;
  private Consumer<EndpointSnapshot> listener;
  private List<String> current;
  private long timer = -1;
  private long resolutions;
  private boolean failing;
  private volatile boolean closed;

  DnsEndpointSource(Vertx vertx, String name, int port, long refreshMillis) {
    this.vertx = vertx;
    this.name = name;
    this.port = port;
    this.refreshMillis = refreshMillis;
  }

  @Override
  public void start(Consumer<EndpointSnapshot> listener) {
    this.listener = listener;
    vertx.runOnContext(v -> resolve());
  }

  private void resolve() {
    if (closed) {
      return;
    }
    HostResolver.resolveAll(vertx, name, ar -> {
      synchronized (this) {
        if (closed) {
          return;
        }
        if (ar.succeeded()) {
          published(ar.result());
        } else if (!failing) {
          failing = true;
          LOG.warn("discovery dns {}: resolution failed, keeping the last {} endpoints: {}", name,
              current == null ? 0 : current.size(), ar.cause().getMessage());
          if (current != null) {
            // the same endpoints (their health is kept) under a version that says so: /admin/upstreams shows it
            publish(current, "dns:" + name + "#" + resolutions + " (resolution failing: " + ar.cause().getMessage() + ")");
          }
        }
        timer = vertx.setTimer(refreshMillis, id -> resolve());
      }
    });
  }

  private void published(List<InetSocketAddress> addresses) {
    boolean recovered = failing;
    failing = false;
    TreeSet<String> hosts = new TreeSet<>(); // a stable order: only a real change publishes
    for (InetSocketAddress address : addresses) {
      hosts.add(address.getAddress().getHostAddress());
    }
    List<String> next = List.copyOf(hosts);
    if (next.equals(current) && !recovered) {
      return;
    }
    if (!next.equals(current)) {
      resolutions++;
    }
    current = next;
    publish(next, "dns:" + name + "#" + resolutions);
  }

  private void publish(List<String> hosts, String version) {
    listener.accept(new EndpointSnapshot(hosts.stream().map(host -> Endpoint.of(host, port)).toList(), version));
  }

  @Override
  public synchronized Future<Void> close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return Future.succeededFuture();
  }
}
