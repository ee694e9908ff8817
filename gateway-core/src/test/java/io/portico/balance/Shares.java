package io.portico.balance;

import io.portico.spi.Endpoint;
import java.util.Map;
import java.util.TreeMap;

/** Counts picks per host, for assertions on shares. */
final class Shares {
  private final Map<String, Integer> counts = new TreeMap<>();
  private int total;

  void add(Endpoint endpoint) {
    counts.merge(endpoint.host(), 1, Integer::sum);
    total++;
  }

  /** The share of {@code host} in percent. */
  double percent(String host) {
    return total == 0 ? 0 : 100.0 * counts.getOrDefault(host, 0) / total;
  }

  int count(String host) {
    return counts.getOrDefault(host, 0);
  }

  @Override
  public String toString() {
    return counts + " of " + total;
  }
}
