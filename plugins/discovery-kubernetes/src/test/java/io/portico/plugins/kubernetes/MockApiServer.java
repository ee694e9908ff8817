package io.portico.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;

/** fabric8's mock API server in CRUD mode (real HTTP, real watches) on a loopback port it can restart on. */
final class MockApiServer implements AutoCloseable {
  private KubernetesMockServer server;
  private final int port;
  private KubernetesClient client;

  MockApiServer() {
    start(0);
    this.port = server.getPort();
  }

  private void start(int onPort) {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), onPort);
    client = server.createClient();
  }

  /** Stops the API server, as an outage would. */
  void stop() {
    client.close();
    server.destroy();
  }

  /** Starts a new, empty API server on the same port. */
  void restart() {
    start(port);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  KubernetesClient client() {
    return client;
  }

  /** A slice of {@code service} with one endpoint per address on a port named http. */
  static EndpointSlice slice(String namespace, String name, String service, int port, boolean ready, String... addresses) {
    return new EndpointSliceBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).addToLabels(NamespaceWatch.SERVICE_LABEL, service).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("http").withPort(port).withProtocol("TCP").endPort()
        .addNewEndpoint().withAddresses(addresses).withNewConditions().withReady(ready).endConditions().withZone("zone-a").endEndpoint()
        .build();
  }

  void apply(EndpointSlice slice) {
    client.discovery().v1().endpointSlices().inNamespace(slice.getMetadata().getNamespace()).resource(slice).createOr(r -> r.update());
  }

  void delete(String namespace, String name) {
    client.discovery().v1().endpointSlices().inNamespace(namespace).withName(name).delete();
  }

  @Override
  public void close() {
    stop();
  }
}
