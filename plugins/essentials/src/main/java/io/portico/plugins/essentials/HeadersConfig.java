package io.portico.plugins.essentials;

import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;

/** {@code request:} and {@code response:} edits, each applied in the order remove, set, add. */
public record HeadersConfig(Edits request, Edits response) {
  public HeadersConfig {
    request = request != null ? request : Edits.NONE;
    response = response != null ? response : Edits.NONE;
  }

  /**
   * @param add values appended to any existing ones
   * @param set values replacing existing ones
   * @param remove header names removed
   */
  public record Edits(Map<String, String> add, Map<String, String> set, List<String> remove) {
    static final Edits NONE = new Edits(Map.of(), Map.of(), List.of());

    public Edits {
      add = add != null ? add : Map.of();
      set = set != null ? set : Map.of();
      remove = remove != null ? remove : List.of();
    }

    boolean isEmpty() {
      return add.isEmpty() && set.isEmpty() && remove.isEmpty();
    }

    void applyTo(MultiMap headers) {
      for (String name : remove) {
        headers.remove(name);
      }
      set.forEach(headers::set);
      add.forEach(headers::add);
    }
  }
}
