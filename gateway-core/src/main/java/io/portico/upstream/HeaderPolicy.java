package io.portico.upstream;

import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.MultiMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Which headers cross the gateway. Hop-by-hop headers (RFC 9110 §7.6.1) and the ones a
 * {@code Connection} header names are dropped in both directions. Towards the upstream the gateway
 * sets {@code X-Forwarded-For/-Proto/-Host} and {@code X-Request-Id}; forwarding headers a client
 * sent are kept only when the client is a trusted proxy, otherwise they are dropped and replaced.
 */
public final class HeaderPolicy {
  // pre-encoded: looked up or set on every exchange, so no lookup hashes the name again
  public static final CharSequence X_FORWARDED_FOR = io.vertx.core.http.HttpHeaders.createOptimized("x-forwarded-for");
  public static final CharSequence X_FORWARDED_PROTO = io.vertx.core.http.HttpHeaders.createOptimized("x-forwarded-proto");
  public static final CharSequence X_FORWARDED_HOST = io.vertx.core.http.HttpHeaders.createOptimized("x-forwarded-host");
  public static final CharSequence X_REQUEST_ID = io.vertx.core.http.HttpHeaders.createOptimized("x-request-id");

  private HeaderPolicy() {}

  /**
   * Copies the client's request headers that may go upstream into {@code to}: everything but
   * hop-by-hop headers, {@code Host} (sent as the authority), {@code Expect} (answered by the
   * gateway), {@code X-Request-Id} (replaced) and, from an untrusted client, {@code Forwarded} and
   * {@code X-Forwarded-*}.
   */
  public static void copyRequestHeaders(MultiMap from, MultiMap to, boolean trustedPeer) {
    copy(from, to, trustedPeer, true);
  }

  private static boolean forwardsRequestHeader(CharSequence name, boolean trustedPeer, String[] named) {
    int kind = HeaderNames.classify(name);
    boolean pass = kind == HeaderNames.PLAIN || kind == HeaderNames.CONTENT_LENGTH
        || (kind == HeaderNames.FORWARDING && trustedPeer);
    return pass && !ConnectionTokens.contains(named, name);
  }

  /**
   * Sets the forwarding headers on the upstream request {@code to}, given the client's headers
   * {@code from} (already copied by {@link #copyRequestHeaders}).
   *
   * @param authority the host (and port) the client asked for, as it sent it
   */
  public static void setForwarding(
      MultiMap from, MultiMap to, boolean trustedPeer, String peerIp, String scheme, String authority, String requestId) {
    String priorFor = trustedPeer ? joined(from, X_FORWARDED_FOR) : null;
    to.set(X_FORWARDED_FOR, priorFor == null ? peerIp : priorFor + ", " + peerIp);
    if (!trustedPeer || from.get(X_FORWARDED_PROTO) == null) {
      to.set(X_FORWARDED_PROTO, scheme);
    }
    if ((!trustedPeer || from.get(X_FORWARDED_HOST) == null) && authority != null) {
      to.set(X_FORWARDED_HOST, authority);
    }
    to.set(X_REQUEST_ID, requestId);
  }

  /**
   * Whether the upstream gets the client's {@code name} headers exactly as the client sent them:
   * not hop-by-hop, not one the gateway sets, replaces or drops, and not among
   * {@code connectionNames} (from {@link #connectionNames}).
   */
  public static boolean forwardsUnchanged(CharSequence name, String[] connectionNames) {
    return HeaderNames.classify(name) == HeaderNames.PLAIN && !ConnectionTokens.contains(connectionNames, name);
  }

  /** The header names every {@code Connection} header of {@code from} declares, lower case. */
  public static String[] connectionNames(MultiMap from) {
    if (from.get(io.netty.handler.codec.http.HttpHeaderNames.CONNECTION) == null) {
      return ConnectionTokens.NONE;
    }
    List<String> names = null;
    for (String value : from.getAll(io.netty.handler.codec.http.HttpHeaderNames.CONNECTION)) {
      names = ConnectionTokens.add(value, names);
    }
    return names == null ? ConnectionTokens.NONE : names.toArray(ConnectionTokens.NONE);
  }

  /** Copies an upstream answer's headers that may go to the client. */
  public static void copyResponseHeaders(MultiMap from, MultiMap to) {
    copy(from, to, false, false);
  }

  /**
   * Copies the headers that may cross, in one pass. The names the first {@code Connection} header
   * declares are skipped as they come; the rare further {@code Connection} headers are read on the
   * way and what they name is removed after.
   */
  private static void copy(MultiMap from, MultiMap to, boolean trustedPeer, boolean request) {
    String[] named = ConnectionTokens.first(from);
    int connections = 0;
    List<String> lateNames = null;
    if (from instanceof HttpHeaders netty) { // HTTP/1: names stay AsciiString, no String per header
      Iterator<Map.Entry<CharSequence, CharSequence>> headers = netty.iteratorCharSequence();
      while (headers.hasNext()) {
        Map.Entry<CharSequence, CharSequence> header = headers.next();
        CharSequence name = header.getKey();
        if (HeaderNames.is(name, "connection") && ++connections > 1) {
          lateNames = ConnectionTokens.add(header.getValue(), lateNames);
        } else if (request ? forwardsRequestHeader(name, trustedPeer, named) : forwardsResponseHeader(name, named)) {
          to.add(name, header.getValue());
        }
      }
    } else {
      for (Map.Entry<String, String> header : from) {
        String name = header.getKey();
        if (HeaderNames.is(name, "connection") && ++connections > 1) {
          lateNames = ConnectionTokens.add(header.getValue(), lateNames);
        } else if (request ? forwardsRequestHeader(name, trustedPeer, named) : forwardsResponseHeader(name, named)) {
          to.add(name, header.getValue());
        }
      }
    }
    if (lateNames != null) {
      lateNames.forEach(to::remove);
    }
  }

  private static boolean forwardsResponseHeader(CharSequence name, String[] named) {
    return !HeaderNames.isHopByHop(name) && !ConnectionTokens.contains(named, name);
  }

  /** Whether {@code name} is hop-by-hop in itself (not counting what {@code Connection} names). */
  public static boolean isHopByHop(CharSequence name) {
    return HeaderNames.isHopByHop(name);
  }

  private static String joined(MultiMap headers, CharSequence name) {
    String first = headers.get(name);
    if (first == null) {
      return null;
    }
    List<String> all = headers.getAll(name);
    return all.size() == 1 ? first : String.join(", ", all);
  }
}
