package io.portico.plugins.ratelimit;

import io.portico.spi.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Turns the {@code key} setting into a function from an exchange to its bucket key. A part whose
 * value is missing (no such header, no consumer) contributes {@code -}, so such requests share one
 * bucket rather than escaping the limit.
 */
final class RequestKey {
  static final String MISSING = "-";

  private RequestKey() {}

  /** @throws IllegalArgumentException naming the part that is not understood */
  static Function<Exchange, String> parse(String spec) {
    List<Function<Exchange, String>> parts = new ArrayList<>();
    for (String raw : spec.split(",")) {
      parts.add(part(raw.trim()));
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return exchange -> {
      StringBuilder key = new StringBuilder();
      for (Function<Exchange, String> part : parts) {
        key.append(part.apply(exchange)).append('|');
      }
      return key.toString();
    };
  }

  private static Function<Exchange, String> part(String part) {
    String lower = part.toLowerCase(Locale.ROOT);
    if (lower.equals("route")) {
      return exchange -> "route";
    }
    if (lower.equals("client-ip")) {
      return exchange -> orMissing(exchange.clientIp());
    }
    if (lower.equals("consumer") || lower.equals("jwt:sub")) {
      return exchange -> orMissing(exchange.consumer());
    }
    if (lower.startsWith("header:") && part.length() > 7) {
      String header = part.substring(7);
      return exchange -> orMissing(exchange.requestHeaders().get(header));
    }
    if (lower.startsWith("jwt:") && part.length() > 4) {
      // jwt-auth forwards claims as request headers (claims-to-headers); the convention is X-Jwt-<claim>
      String header = "X-Jwt-" + part.substring(4);
      return exchange -> orMissing(exchange.requestHeaders().get(header));
    }
    throw new IllegalArgumentException("unknown key part \"" + part
        + "\" (route, client-ip, consumer, jwt:sub, jwt:CLAIM, header:NAME)");
  }

  private static String orMissing(String value) {
    return value == null || value.isEmpty() ? MISSING : value;
  }
}
