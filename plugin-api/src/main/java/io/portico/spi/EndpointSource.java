package io.portico.spi;

import io.vertx.core.Future;
import java.util.function.Consumer;

/** Follows the endpoints of one upstream in a discovery system. */
public interface EndpointSource {

  /**
   * Starts following. {@code listener} receives every new complete snapshot, from any thread;
   * the gateway hops it to its event loops. While the discovery system is unreachable the source
   * keeps quiet, so the last snapshot keeps serving.
   */
  void start(Consumer<EndpointSnapshot> listener);

  /** Stops following; called when the upstream is removed or its discovery config changes. */
  Future<Void> close();
}
