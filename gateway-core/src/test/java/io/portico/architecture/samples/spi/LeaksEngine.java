package io.portico.architecture.samples.spi;

import io.portico.architecture.samples.runtime.Engine;

/** Bad sample: the plugin API seeing the engine. */
public final class LeaksEngine {
  Engine engine;
}
