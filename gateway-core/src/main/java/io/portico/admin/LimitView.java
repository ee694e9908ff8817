package io.portico.admin;

import io.portico.upstream.ConcurrencyLimit;
import io.vertx.core.json.JsonObject;

/** The {@code concurrency} block of an upstream at {@code /admin/upstreams}: limit, in flight, refused. */
final class LimitView {
  private LimitView() {}

  /** Adds {@code concurrency} to {@code upstream} ({@code null} when the upstream has no adaptive limit). */
  static JsonObject concurrency(JsonObject upstream, ConcurrencyLimit limit) {
    if (limit == null) {
      return upstream.putNull("concurrency");
    }
    return upstream.put("concurrency", new JsonObject()
        .put("limit", limit.limit())
        .put("in_flight", limit.inFlight())
        .put("rejected", limit.rejected()));
  }
}
