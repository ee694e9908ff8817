package io.portico.testing.plugins;

import io.portico.spi.ExchangeLog;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the test plugins saw, in order, across all exchanges. */
public final class TraceLog {
  private static final List<String> EVENTS = new CopyOnWriteArrayList<>();
  private static final Map<String, ExchangeLog> COMPLETED = new ConcurrentHashMap<>();

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

  static void completed(ExchangeLog log) {
    COMPLETED.putIfAbsent(log.requestId(), log);
  }

  /** The record {@code onComplete} was given for a request id, or {@code null}. */
  public static ExchangeLog completed(String requestId) {
    return COMPLETED.get(requestId);
  }

  public static void clear() {
    EVENTS.clear();
    COMPLETED.clear();
  }
}
