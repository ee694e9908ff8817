package io.portico.balance;

import io.portico.config.NetSyntax;
import io.portico.route.CookieHeader;
import io.portico.spi.Exchange;
import io.vertx.core.MultiMap;
import java.util.List;

/**
 * Where the {@code consistent-hash} balancer reads a request's key, as the upstream's
 * {@code hash-key} setting says: {@code header:NAME}, {@code cookie:NAME}, {@code query:NAME},
 * {@code client-ip} or {@code path}. Immutable. A key is hashed where it lies (a cookie inside its
 * header is not copied out).
 */
public abstract sealed class HashKey {
  /** What {@link #hash} returns when the request has no (or an empty) key; no key hashes to it. */
  static final long NONE = 0;

  private HashKey() {}

  /**
   * The key source {@code spec} describes, or {@code null} when it is malformed. Names after
   * {@code header:}, {@code cookie:} and {@code query:} must be HTTP tokens.
   */
  public static HashKey parse(String spec) {
    if (spec == null) {
      return null;
    }
    switch (spec) {
      case "client-ip":
        return new ClientIp();
      case "path":
        return new Path();
      default:
        break;
    }
    int colon = spec.indexOf(':');
    String name = colon < 0 ? "" : spec.substring(colon + 1);
    if (!NetSyntax.isToken(name)) {
      return null;
    }
    return switch (spec.substring(0, Math.max(colon, 0))) {
      case "header" -> new Header(name);
      case "cookie" -> new Cookie(name);
      case "query" -> new Query(name);
      default -> null;
    };
  }

  /** The hash of this request's key, or {@link #NONE} when it has none. */
  abstract long hash(Exchange exchange);

  static long hashOf(String value) {
    return value == null || value.isEmpty() ? NONE : nonZero(Hash64.of(value));
  }

  private static long nonZero(long hash) {
    return hash == NONE ? 1 : hash;
  }

  private static final class Header extends HashKey {
    private final String name;

    Header(String name) {
      this.name = name;
    }

    @Override
    long hash(Exchange exchange) {
      return hashOf(exchange.requestHeaders().get(name));
    }
  }

  private static final class Query extends HashKey {
    private final String name;

    Query(String name) {
      this.name = name;
    }

    @Override
    long hash(Exchange exchange) {
      return hashOf(exchange.queryParam(name));
    }
  }

  private static final class ClientIp extends HashKey {
    @Override
    long hash(Exchange exchange) {
      return hashOf(exchange.clientIp());
    }
  }

  private static final class Path extends HashKey {
    @Override
    long hash(Exchange exchange) {
      return hashOf(exchange.path());
    }
  }

  /** A cookie of the {@code Cookie} header (or headers: HTTP/2 clients may send one per cookie). */
  private static final class Cookie extends HashKey {
    private final String name;

    Cookie(String name) {
      this.name = name;
    }

    @Override
    long hash(Exchange exchange) {
      MultiMap headers = exchange.requestHeaders();
      String first = headers.get("cookie");
      if (first == null) {
        return NONE;
      }
      int at = CookieHeader.valueStart(first, name);
      if (at >= 0) {
        return hashValue(first, at);
      }
      // rare: the cookie is in a later Cookie header; only then is the list of headers built
      List<String> all = headers.getAll("cookie");
      for (int i = 1; i < all.size(); i++) {
        at = CookieHeader.valueStart(all.get(i), name);
        if (at >= 0) {
          return hashValue(all.get(i), at);
        }
      }
      return NONE;
    }

    private static long hashValue(String header, int from) {
      int to = CookieHeader.valueEnd(header, from);
      if (to - from >= 2 && header.charAt(from) == '"' && header.charAt(to - 1) == '"') {
        from++;
        to--;
      }
      return to == from ? NONE : nonZero(Hash64.of(header, from, to));
    }
  }
}
