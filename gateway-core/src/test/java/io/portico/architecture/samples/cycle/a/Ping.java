package io.portico.architecture.samples.cycle.a;

import io.portico.architecture.samples.cycle.b.Pong;

/** Bad sample: half of a package cycle. */
public final class Ping {
  Pong pong;
}
