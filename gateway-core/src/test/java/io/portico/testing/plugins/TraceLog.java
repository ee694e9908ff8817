package io.portico.testing.plugins;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the test plugins saw, in order, across all exchanges. */
public final class TraceLog {
  private static final List<String> EVENTS = new CopyOnWriteArrayList<>();

  private TraceLog() {}

  static void add(String event) {
    EVENTS.add(event);
  }

  public static List<String> events() {
    return List.copyOf(EVENTS);
  }

  /** Events of one request id. */
  public static List<String> of(String requestId) {
    return EVENTS.stream().filter(e -> e.startsWith(requestId + " ")).map(e -> e.substring(requestId.length() + 1)).toList();
  }

  public static void clear() {
    EVENTS.clear();
  }
}
