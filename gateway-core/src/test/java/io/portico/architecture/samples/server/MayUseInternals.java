package io.portico.architecture.samples.server;

import io.vertx.core.internal.ContextInternal;

/** Good sample: the listener may use Vert.x internals. */
public final class MayUseInternals {
  ContextInternal context;
}
