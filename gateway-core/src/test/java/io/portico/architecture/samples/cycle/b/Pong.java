package io.portico.architecture.samples.cycle.b;

import io.portico.architecture.samples.cycle.a.Ping;

/** Bad sample: the other half of a package cycle. */
public final class Pong {
  Ping ping;
}
