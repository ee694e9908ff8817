package io.portico.architecture.samples.runtime;

import io.portico.architecture.samples.exchange.PeeksAtInternals;

/** Bad sample: the runtime reaching up into the exchange. */
public final class Engine {
  PeeksAtInternals exchange;
}
