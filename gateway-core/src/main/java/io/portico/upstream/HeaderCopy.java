package io.portico.upstream;

import io.vertx.core.MultiMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Copies between header maps without turning names and values into strings: Vert.x's
 * {@code addAll(MultiMap)} goes through {@code entries()}, a list of string entries, which copies
 * every {@code AsciiString} name (the decoder makes new ones per request) and allocates an entry
 * per header. Both maps here are the gateway's own, from {@code HttpHeaders.headers()}.
 */
public final class HeaderCopy {
  private HeaderCopy() {}

  /** Adds every header of {@code from} to {@code to}, in order, keeping what {@code to} has. */
  public static void addAll(MultiMap from, MultiMap to) {
    if (from instanceof io.netty.handler.codec.http.HttpHeaders netty) {
      Iterator<Map.Entry<CharSequence, CharSequence>> headers = netty.iteratorCharSequence();
      while (headers.hasNext()) {
        Map.Entry<CharSequence, CharSequence> header = headers.next();
        to.add(header.getKey(), header.getValue());
      }
    } else {
      to.addAll(from);
    }
  }

  /**
   * For every name in {@code from}, replaces the headers of that name in {@code to} by the ones
   * in {@code from} (what {@code to.set(name, from.getAll(name))} per name does), in one pass to
   * remove and one to add, without the sorted name set and value lists of that form.
   */
  public static void setAll(MultiMap from, MultiMap to) {
    if (from instanceof io.netty.handler.codec.http.HttpHeaders netty) {
      Iterator<Map.Entry<CharSequence, CharSequence>> names = netty.iteratorCharSequence();
      while (names.hasNext()) {
        to.remove(names.next().getKey());
      }
      addAll(from, to);
    } else {
      for (String name : from.names()) {
        to.set(name, from.getAll(name));
      }
    }
  }
}
