package io.portico.config;

import java.util.List;

/**
 * A config store entry left out of the running config: the key and every error found in it, with
 * paths relative to the stored object ({@code match.path-prefix} for a route).
 */
public record RejectedEntry(String key, List<ConfigError> errors) {
  public RejectedEntry {
    errors = List.copyOf(errors);
  }

  /** One line per error: {@code /portico/routes/users match.path-prefix: must start with /}. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    for (ConfigError error : errors) {
      if (!text.isEmpty()) {
        text.append('\n');
      }
      text.append(key).append(' ');
      if (error.path() != null && !error.path().isEmpty()) {
        text.append(error.path()).append(": ");
      }
      text.append(error.message());
    }
    return text.toString();
  }
}
