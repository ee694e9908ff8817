package io.portico.plugins.observability;

import io.portico.spi.Key;

/** The trace id the tracing plugin assigned to an exchange, for the access log. */
final class TraceIds {
  static final Key<String> KEY = Key.of("observability.trace-id", String.class);

  private TraceIds() {}
}
