package io.portico.config;

/**
 * One problem in a config: where it is, which field, what is wrong. Prints as
 * {@code routes/shop.yaml:14 routes[2].upstream: no upstream named "userz"}.
 */
public record ConfigError(ConfigNode.Origin origin, String path, String message) {
  @Override
  public String toString() {
    String where = origin != null ? origin + " " : "";
    return where + (path == null || path.isEmpty() ? "" : path + ": ") + message;
  }
}
