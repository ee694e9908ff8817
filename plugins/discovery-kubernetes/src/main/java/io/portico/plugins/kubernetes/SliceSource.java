package io.portico.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.portico.spi.EndpointSnapshot;
import io.portico.spi.EndpointSource;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Consumer;

/** The endpoints of one Service, from its namespace's shared informer. */
final class SliceSource implements EndpointSource {
  private final KubernetesDiscoveryFactory factory;
  private final String watchKey;
  private final NamespaceWatch watch;
  private final String service;
  private final String port;
  private volatile Consumer<List<EndpointSlice>> subscription;

  SliceSource(KubernetesDiscoveryFactory factory, String watchKey, NamespaceWatch watch, String service, String port) {
    this.factory = factory;
    this.watchKey = watchKey;
    this.watch = watch;
    this.service = service;
    this.port = port;
  }

  @Override
  public void start(Consumer<EndpointSnapshot> listener) {
    subscription = slices -> listener.accept(
        new EndpointSnapshot(SliceEndpoints.of(slices, port), NamespaceWatch.newestVersion(slices)));
    watch.follow(service, subscription);
  }

  @Override
  public Future<Void> close() {
    Consumer<List<EndpointSlice>> s = subscription;
    if (s != null) {
      watch.unfollow(service, s);
      factory.released(watchKey, watch);
    }
    return Future.succeededFuture();
  }
}
