package io.portico.testing;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * For tests that time latency: the backends, the gateway and the clients each on a Vert.x of their
 * own, so a slow backend or a busy client never shares an event loop with the gateway under test.
 * Closed clients first, backends last.
 */
public abstract class SeparateLoops {
  @TempDir
  protected Path dir;
  protected Vertx backends;
  protected Vertx vertx;
  protected Vertx clients;

  @BeforeEach
  void startLoops() {
    backends = Vertx.vertx();
    vertx = Vertx.vertx();
    clients = Vertx.vertx();
  }

  @AfterEach
  void stopLoops() {
    Await.result(clients.close());
    Await.result(vertx.close());
    Await.result(backends.close());
  }
}
