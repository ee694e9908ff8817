package io.portico.plugins.jwt;

import io.portico.spi.Exchange;
import io.vertx.core.MultiMap;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Finds the token where the config says: a cookie, a raw header, or an {@code Authorization: Bearer};
 * and counts the credentials a request carries, so a request with more than one is refused
 * (RFC 6750 §2: a client uses one method per request) instead of verified by one and forwarded
 * with another the upstream might honour.
 */
final class TokenExtractor {
  private static final String AUTHORIZATION = "Authorization";
  private static final String QUERY_TOKEN = "access_token"; // RFC 6750 §2.3
  private static final String BEARER = "bearer ";
  /** Length of {@code "Bearer "}: where the token starts in a {@link #plainBearer} value. */
  static final int BEARER_PREFIX = BEARER.length();

  private TokenExtractor() {}

  /** Every {@code Authorization} value of the request: read once, for {@link #count} and {@link #plainBearer}. */
  static List<String> authorizations(Exchange exchange) {
    return exchange.requestHeaders().getAll(AUTHORIZATION);
  }

  /**
   * With the default carrier, the first of the request's {@code authorizations} when it is
   * {@code Bearer} (any case), one space and a token with nothing to trim: the token is the value
   * from {@link #BEARER_PREFIX} on, what {@link #extract} would return, and the caller need not copy
   * it out. Otherwise {@code null} (then {@link #extract} has the answer).
   */
  static String plainBearer(List<String> authorizations, JwtAuthConfig config) {
    if (config.cookie() != null || !config.header().equalsIgnoreCase(AUTHORIZATION) || authorizations.isEmpty()) {
      return null;
    }
    String value = authorizations.get(0);
    if (value.length() <= BEARER_PREFIX || !value.regionMatches(true, 0, BEARER, 0, BEARER_PREFIX)) {
      return null;
    }
    // String.trim() removes characters up to ' ': a token without them at either end is kept whole
    return value.charAt(BEARER_PREFIX) > ' ' && value.charAt(value.length() - 1) > ' ' ? value : null;
  }

  static String extract(Exchange exchange, JwtAuthConfig config) {
    if (config.cookie() != null) {
      return cookie(exchange.requestHeaders(), config.cookie());
    }
    String value = exchange.requestHeaders().get(config.header());
    if (value == null) {
      return null;
    }
    if (!config.header().equalsIgnoreCase(AUTHORIZATION)) {
      return value.trim();
    }
    String token = bearer(value);
    return token == null || token.isEmpty() ? null : token;
  }

  /**
   * The credentials in the request: every occurrence of the configured carrier (the header, or
   * the cookie in any {@code Cookie} header), every other {@code Authorization: Bearer}, every
   * {@code access_token} query parameter. With the default carrier every {@code Authorization}
   * header counts, whatever its scheme. A form-encoded body is not read.
   *
   * @param authorizations the request's {@link #authorizations}
   */
  static int count(Exchange exchange, JwtAuthConfig config, List<String> authorizations) {
    MultiMap headers = exchange.requestHeaders();
    int count = 0;
    if (config.cookie() != null) {
      for (String header : headers.getAll("Cookie")) {
        count += cookies(header, config.cookie());
      }
    } else if (!config.header().equalsIgnoreCase(AUTHORIZATION)) {
      count += headers.getAll(config.header()).size();
    }
    boolean defaultCarrier = config.cookie() == null && config.header().equalsIgnoreCase(AUTHORIZATION);
    for (String value : authorizations) {
      if (defaultCarrier || value.regionMatches(true, 0, BEARER, 0, BEARER_PREFIX)) {
        count++;
      }
    }
    return count + queryTokens(exchange.query());
  }

  static void strip(Exchange exchange, JwtAuthConfig config) {
    if (config.cookie() == null) {
      exchange.requestHeaders().remove(config.header());
    }
  }

  /** The credential of a {@code Bearer} value (scheme case-insensitive), or {@code null}. */
  private static String bearer(String value) {
    if (value.regionMatches(true, 0, BEARER, 0, BEARER_PREFIX)) {
      return value.substring(BEARER_PREFIX).trim();
    }
    return null;
  }

  private static String cookie(MultiMap headers, String name) {
    for (String header : headers.getAll("Cookie")) { // HTTP/2 clients may send one per cookie
      for (String part : header.split(";")) {
        int eq = part.indexOf('=');
        if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
          return part.substring(eq + 1).trim();
        }
      }
    }
    return null;
  }

  private static int cookies(String header, String name) {
    int count = 0;
    for (String part : header.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
        count++;
      }
    }
    return count;
  }

  private static int queryTokens(String query) {
    if (query == null || query.indexOf(QUERY_TOKEN) < 0 && query.indexOf('%') < 0) {
      return 0; // the common case, without splitting the query
    }
    int count = 0;
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (name.equals(QUERY_TOKEN) || name.indexOf('%') >= 0 && decoded(name).equals(QUERY_TOKEN)) {
        count++;
      }
    }
    return count;
  }

  private static String decoded(String name) {
    try {
      return URLDecoder.decode(name, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return name;
    }
  }
}
