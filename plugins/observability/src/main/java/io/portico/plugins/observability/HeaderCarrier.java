package io.portico.plugins.observability;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.vertx.core.MultiMap;

/** Reads and writes W3C trace headers on Vert.x header maps. */
final class HeaderCarrier {
  static final TextMapGetter<MultiMap> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(MultiMap headers) {
      return headers.names();
    }

    @Override
    public String get(MultiMap headers, String key) {
      return headers == null ? null : headers.get(key);
    }
  };

  static final TextMapSetter<MultiMap> SETTER = (headers, key, value) -> {
    if (headers != null) {
      headers.set(key, value);
    }
  };

  private HeaderCarrier() {}
}
