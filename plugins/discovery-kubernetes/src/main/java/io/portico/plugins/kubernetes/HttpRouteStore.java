package io.portico.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.portico.spi.ConfigStore;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code config: { kubernetes: {...} }}: the Gateway API {@code HTTPRoute}s of one namespace,
 * followed through an informer, as a read-only config store. Every change (of an HTTPRoute, or of
 * a Service whose port names the mapping uses) rebuilds the whole set of entries from the
 * informers' stores on one thread and delivers it as a snapshot; an entry keeps its revision while
 * its content stays the same. Rules Portico cannot map are left out and listed in {@link #status()}.
 */
final class HttpRouteStore implements ConfigStore {
  private static final Logger log = LoggerFactory.getLogger(HttpRouteStore.class);

  private final KubernetesSettings settings;
  private final String namespace;
  private final ExecutorService worker;
  private final AtomicBoolean rebuildQueued = new AtomicBoolean();
  private KubernetesClient client;
  private SharedIndexInformer<HTTPRoute> routes;
  private SharedIndexInformer<Service> services;
  private Listener listener;
  // owned by the worker thread
  private final Map<String, Entry> entries = new TreeMap<>();
  private long revision;
  private volatile boolean synced;
  private volatile List<String> skipped = List.of();
  private volatile long snapshots;

  HttpRouteStore(KubernetesSettings settings) {
    this.settings = settings;
    this.namespace = settings.namespace() != null ? settings.namespace() : KubernetesDiscoveryFactory.podNamespace();
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "portico-httproutes-" + namespace);
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public synchronized void follow(Listener target) {
    if (listener != null) {
      throw new IllegalStateException("already following");
    }
    listener = target;
    client = KubernetesDiscoveryFactory.client(settings, Path::of);
    routes = client.resources(HTTPRoute.class).inNamespace(namespace).runnableInformer(0);
    services = client.services().inNamespace(namespace).runnableInformer(0);
    for (SharedIndexInformer<? extends HasMetadata> informer : List.of(routes, services)) {
      // keep trying while the API server is unreachable, at start too
      informer.exceptionHandler((started, failure) -> true);
    }
    routes.addEventHandler(new Changes<>());
    services.addEventHandler(new Changes<>());
    routes.start().thenCombine(services.start(), (a, b) -> b).whenComplete((ok, failure) -> {
      synced = true;
      rebuild();
    });
  }

  /** Rebuilds once for any number of changes that arrive while a rebuild waits. */
  private void rebuild() {
    if (synced && rebuildQueued.compareAndSet(false, true)) {
      worker.execute(() -> {
        rebuildQueued.set(false);
        try {
          publish(System.nanoTime());
        } catch (RuntimeException e) {
          log.error("HTTPRoutes of {}: rebuild failed", namespace, e);
        }
      });
    }
  }

  private void publish(long receivedNanos) {
    Map<String, Map<String, String>> portNames = new LinkedHashMap<>();
    for (Service service : services.getStore().list()) {
      Map<String, String> byNumber = new LinkedHashMap<>();
      if (service.getSpec() != null && service.getSpec().getPorts() != null) {
        for (ServicePort port : service.getSpec().getPorts()) {
          if (port.getName() != null && !port.getName().isEmpty()) {
            byNumber.put(String.valueOf(port.getPort()), port.getName());
          }
        }
      }
      portNames.put(service.getMetadata().getName(), byNumber);
    }
    List<HTTPRoute> all = new ArrayList<>(routes.getStore().list());
    all.sort(Comparator.comparing(r -> r.getMetadata().getName()));
    Map<String, String> values = new TreeMap<>();
    List<String> skippedNow = new ArrayList<>();
    for (HTTPRoute route : all) {
      HttpRouteMapper.Mapped mapped = HttpRouteMapper.map(route,
          (service, port) -> portNames.getOrDefault(service, Map.of()).get(String.valueOf(port)));
      mapped.routes().forEach((name, json) -> values.put(key(Kind.ROUTE, name), json.encode()));
      mapped.upstreams().forEach((name, json) -> values.put(key(Kind.UPSTREAM, name), json.encode()));
      for (String reason : mapped.skipped()) {
        skippedNow.add("httproute " + namespace + "/" + route.getMetadata().getName() + " " + reason);
      }
    }
    for (String line : skippedNow) {
      if (!skipped.contains(line)) {
        log.warn("{}: left out", line);
      }
    }
    skipped = List.copyOf(skippedNow);
    long next = revision + 1;
    boolean changed = !values.keySet().equals(entries.keySet());
    Map<String, Entry> now = new TreeMap<>();
    values.forEach((key, value) -> {
      Entry before = entries.get(key);
      if (before != null && before.value().equals(value)) {
        now.put(key, before);
      } else {
        Kind kind = key.startsWith(prefix(Kind.ROUTE)) ? Kind.ROUTE : Kind.UPSTREAM;
        now.put(key, new Entry(kind, key.substring(prefix(kind).length()), key, value, next));
      }
    });
    for (Entry entry : now.values()) {
      changed |= entry.modRevision() == next;
    }
    if (!changed && snapshots > 0) {
      return; // a change elsewhere in the namespace that maps to the same config
    }
    revision = next;
    entries.clear();
    entries.putAll(now);
    snapshots++;
    listener.onSnapshot(new Snapshot(revision, List.copyOf(entries.values()), receivedNanos, snapshots == 1));
  }

  private String prefix(Kind kind) {
    return "kubernetes/" + namespace + (kind == Kind.ROUTE ? "/routes/" : kind == Kind.UPSTREAM ? "/upstreams/" : "/");
  }

  @Override
  public String key(Kind kind, String name) {
    return kind == Kind.PLUGINS ? prefix(kind) + "plugins" : prefix(kind) + name;
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public Future<Write> put(Kind kind, String name, String json, long expectedModRevision) {
    return readOnlyFailure();
  }

  @Override
  public Future<Write> delete(Kind kind, String name, long expectedModRevision) {
    return readOnlyFailure();
  }

  @Override
  public Future<Write> register(String service, String instanceId, String instanceJson, Duration ttl) {
    return readOnlyFailure();
  }

  @Override
  public Future<Write> deregister(String service, String instanceId) {
    return readOnlyFailure();
  }

  private Future<Write> readOnlyFailure() {
    return Future.failedFuture(new UnsupportedOperationException(
        "the kubernetes config store is read-only: routes come from the HTTPRoutes of namespace " + namespace));
  }

  @Override
  public String describe() {
    return "kubernetes httproutes " + namespace;
  }

  @Override
  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("namespace", namespace);
    status.put("synced", synced);
    status.put("snapshots", snapshots);
    status.put("skipped_rules", skipped);
    return status;
  }

  /** The rules left out at the last rebuild, one line each. */
  List<String> skipped() {
    return skipped;
  }

  @Override
  public synchronized Future<Void> close() {
    if (routes != null) {
      routes.stop();
      services.stop();
      client.close();
    }
    worker.shutdownNow();
    return Future.succeededFuture();
  }

  /** Any change of a watched object schedules a rebuild. */
  private final class Changes<T> implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T object) {
      rebuild();
    }

    @Override
    public void onUpdate(T before, T after) {
      rebuild();
    }

    @Override
    public void onDelete(T object, boolean finalStateUnknown) {
      rebuild();
    }
  }
}
