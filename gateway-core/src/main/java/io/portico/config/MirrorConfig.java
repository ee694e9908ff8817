package io.portico.config;

import java.time.Duration;

/**
 * {@code routes[].mirror:} sends a copy of the route's requests to another upstream and throws its
 * answer away. Only requests without a body, or whose body a plugin already read, are copied.
 *
 * @param upstream name of the upstream that receives the copies
 * @param percent share of the requests copied, 0 to 100, default 100
 * @param timeout deadline of a copy, from its start to the end of its answer; default the route's
 *     {@code timeout}
 */
public record MirrorConfig(String upstream, Integer percent, Duration timeout) {
  public MirrorConfig {
    percent = percent != null ? percent : 100;
  }
}
