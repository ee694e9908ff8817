package io.portico.plugins.samplea;

import io.portico.server.Gateway;

/** Bad sample: a plugin reaching into the engine. */
public final class UsesEngine {
  Gateway gateway;
}
