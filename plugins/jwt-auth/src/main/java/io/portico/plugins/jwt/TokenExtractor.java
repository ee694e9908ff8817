package io.portico.plugins.jwt;

import io.portico.spi.Exchange;
import java.util.Locale;

/** Finds the token where the config says: a cookie, a raw header, or an {@code Authorization: Bearer}. */
final class TokenExtractor {
  private TokenExtractor() {}

  static String extract(Exchange exchange, JwtAuthConfig config) {
    if (config.cookie() != null) {
      return cookie(exchange.requestHeaders().get("Cookie"), config.cookie());
    }
    String value = exchange.requestHeaders().get(config.header());
    if (value == null) {
      return null;
    }
    if (!config.header().equalsIgnoreCase("Authorization")) {
      return value.trim();
    }
    if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      String token = value.substring(7).trim();
      return token.isEmpty() ? null : token;
    }
    return null;
  }

  static void strip(Exchange exchange, JwtAuthConfig config) {
    if (config.cookie() == null) {
      exchange.requestHeaders().remove(config.header());
    }
  }

  private static String cookie(String header, String name) {
    if (header == null) {
      return null;
    }
    for (String part : header.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
        return part.substring(eq + 1).trim();
      }
    }
    return null;
  }

}
