package io.portico.architecture.samples.exchange;

import io.vertx.core.internal.ContextInternal;

/** Bad sample: Vert.x internals outside the transport packages. */
public final class PeeksAtInternals {
  ContextInternal context;
}
