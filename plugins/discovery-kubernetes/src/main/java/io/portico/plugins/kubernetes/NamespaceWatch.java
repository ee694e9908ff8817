package io.portico.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One shared informer on the EndpointSlices of one namespace, however many upstreams follow
 * Services in it. The informer lists, then watches; it reconnects after API server outages and
 * relists after {@code 410 Gone}, keeping its store meanwhile, so the last known slices keep
 * serving. Every event re-derives the affected Service's slices from the store.
 */
final class NamespaceWatch {
  static final String SERVICE_LABEL = "kubernetes.io/service-name";

  private final SharedIndexInformer<EndpointSlice> informer;
  private final Map<String, List<Consumer<List<EndpointSlice>>>> byService = new ConcurrentHashMap<>();

  NamespaceWatch(KubernetesClient client, String namespace) {
    this.informer = client.discovery().v1().endpointSlices().inNamespace(namespace).runnableInformer(0);
    // keep trying while the API server is unreachable, at start too: never give up on a namespace
    informer.exceptionHandler((started, failure) -> true);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(EndpointSlice slice) {
        changed(slice);
      }

      @Override
      public void onUpdate(EndpointSlice before, EndpointSlice after) {
        changed(after);
      }

      @Override
      public void onDelete(EndpointSlice slice, boolean finalStateUnknown) {
        changed(slice);
      }
    });
    informer.start(); // lists and watches in the background; never blocks the caller
  }

  private void changed(EndpointSlice slice) {
    String service = serviceOf(slice);
    if (service != null && byService.containsKey(service)) {
      publish(service);
    }
  }

  private void publish(String service) {
    List<EndpointSlice> slices = slicesOf(service);
    for (Consumer<List<EndpointSlice>> listener : byService.getOrDefault(service, List.of())) {
      listener.accept(slices);
    }
  }

  private List<EndpointSlice> slicesOf(String service) {
    return informer.getStore().list().stream().filter(s -> service.equals(serviceOf(s))).toList();
  }

  private static String serviceOf(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    return labels == null ? null : labels.get(SERVICE_LABEL);
  }

  /** Follows one Service; the listener gets its slices now (once synced) and after every change. */
  void follow(String service, Consumer<List<EndpointSlice>> listener) {
    byService.computeIfAbsent(service, s -> new CopyOnWriteArrayList<>()).add(listener);
    if (informer.hasSynced()) {
      listener.accept(slicesOf(service));
    }
  }

  void unfollow(String service, Consumer<List<EndpointSlice>> listener) {
    List<Consumer<List<EndpointSlice>>> listeners = byService.get(service);
    if (listeners != null) {
      listeners.remove(listener);
    }
  }

  boolean idle() {
    return byService.values().stream().allMatch(List::isEmpty);
  }

  void stop() {
    informer.stop();
  }

  static String newestVersion(List<EndpointSlice> slices) {
    return slices.stream().map(s -> s.getMetadata().getResourceVersion()).filter(Objects::nonNull)
        .max((a, b) -> {
          try {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
          } catch (NumberFormatException e) {
            return a.compareTo(b);
          }
        }).orElse(null);
  }
}
