package io.portico.plugins.ratelimit;

import io.portico.spi.Exchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The {@code key} setting compiled into a function from an exchange to its bucket key. A part
 * whose value is missing (no such header, no consumer) counts as {@value #ANONYMOUS}, so leaving a
 * header out never escapes the limit: all such requests share one bucket.
 */
@FunctionalInterface
interface RequestKey {
  String ANONYMOUS = "anonymous";
  /** Longer values are replaced by their hash, so a client cannot fill the key cache with 8 KiB keys. */
  int MAX_VALUE_LENGTH = 64;

  String of(Exchange exchange);

  /** @throws IllegalArgumentException naming the part that is not understood */
  static RequestKey parse(String spec) {
    List<RequestKey> parts = new ArrayList<>();
    for (String raw : spec.split(",")) {
      parts.add(part(raw.trim()));
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    RequestKey[] all = parts.toArray(RequestKey[]::new);
    return exchange -> {
      // length-prefixed parts: no choice of header values can make two combinations collide
      StringBuilder key = new StringBuilder(64);
      for (RequestKey part : all) {
        String value = part.of(exchange);
        key.append(value.length()).append(':').append(value);
      }
      return key.toString();
    };
  }

  private static RequestKey part(String part) {
    String lower = part.toLowerCase(Locale.ROOT);
    if (lower.equals("route")) {
      return exchange -> "route";
    }
    if (lower.equals("client-ip")) {
      return exchange -> bounded(exchange.clientIp());
    }
    if (lower.equals("consumer") || lower.equals("jwt:sub")) {
      return exchange -> bounded(exchange.consumer());
    }
    if (lower.startsWith("header:") && part.length() > 7) {
      String header = part.substring(7).trim();
      return exchange -> bounded(exchange.requestHeaders().get(header));
    }
    if (lower.startsWith("jwt:") && part.length() > 4) {
      // jwt-auth hands claims on only as request headers (claims-to-headers), and removes the
      // client's copies of those headers; without an authenticated consumer the header is the
      // client's own, so it does not count
      String header = "X-Jwt-" + part.substring(4).trim();
      return exchange -> exchange.consumer() == null ? ANONYMOUS : bounded(exchange.requestHeaders().get(header));
    }
    throw new IllegalArgumentException("unknown key part \"" + part
        + "\" (use route, client-ip, consumer, jwt:sub, jwt:CLAIM or header:NAME, separated by commas)");
  }

  private static String bounded(String value) {
    if (value == null || value.isEmpty()) {
      return ANONYMOUS;
    }
    return value.length() <= MAX_VALUE_LENGTH ? value : hash(value);
  }

  private static String hash(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return "#" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
