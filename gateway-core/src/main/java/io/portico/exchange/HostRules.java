package io.portico.exchange;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.List;

/**
 * The authority a request names (RFC 9112 §3.2, RFC 3986 §3.2), checked before routing: an
 * HTTP/1.1 request has exactly one {@code Host}, a valid {@code host[:port]} without userinfo; an
 * absolute-form target's authority wins over {@code Host}, which is set to it so that routing and
 * forwarding see the same name. An HTTP/2 request's {@code host} and {@code :authority} agreeing is
 * checked where its fields enter ({@link Http2FieldRules}).
 */
public final class HostRules {
  private static final int MAX_HOST = 255;

  private HostRules() {}

  /** Whether {@code request}'s authority is acceptable; may set its {@code Host} (absolute form). */
  static boolean accept(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      String authority = request.authority() == null ? null : request.authority().toString();
      return authority != null && isValidAuthority(authority);
    }
    List<String> hosts = request.headers().getAll("host");
    if (hosts.size() > 1 || (hosts.isEmpty() && request.version() == HttpVersion.HTTP_1_1)) {
      return false;
    }
    String target = absoluteAuthority(request.uri());
    if (target != null) {
      if (!isValidAuthority(target)) {
        return false;
      }
      request.headers().set("host", target); // the target's authority wins (RFC 9112 §3.2.2)
      return true;
    }
    return hosts.isEmpty() || isValidAuthority(hosts.get(0));
  }

  /** The authority of an absolute-form target ({@code http://a.example/x}), else {@code null}. */
  static String absoluteAuthority(String uri) {
    int scheme = uri.indexOf("://");
    if (scheme <= 0 || uri.charAt(0) == '/') {
      return null;
    }
    int start = scheme + 3;
    int end = start;
    while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
      end++;
    }
    return uri.substring(start, end);
  }

  /** Whether {@code authority} is {@code host[:port]}: a reg-name, IPv4 or IPv6 literal, no userinfo. */
  public static boolean isValidAuthority(String authority) {
    int length = authority.length();
    if (length == 0) {
      return false;
    }
    int hostEnd;
    if (authority.charAt(0) == '[') {
      hostEnd = authority.indexOf(']');
      if (hostEnd < 2 || !isIpv6(authority, 1, hostEnd)) {
        return false;
      }
      hostEnd++;
    } else {
      hostEnd = authority.indexOf(':');
      if (hostEnd < 0) {
        hostEnd = length;
      }
      if (hostEnd == 0 || hostEnd > MAX_HOST || !isRegName(authority, hostEnd)) {
        return false;
      }
    }
    if (hostEnd == length) {
      return true;
    }
    return authority.charAt(hostEnd) == ':' && isPort(authority, hostEnd + 1);
  }

  private static boolean isRegName(String s, int end) {
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~';
      if (!ok) {
        return false; // no userinfo '@', no sub-delims or percent-encodings in a name we route on
      }
    }
    return true;
  }

  private static boolean isIpv6(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
        return false;
      }
    }
    return s.indexOf(':', from) >= 0 && s.indexOf(':', from) < to;
  }

  private static boolean isPort(String s, int from) {
    int digits = s.length() - from;
    if (digits < 1 || digits > 5) {
      return false; // an empty port is refused too: it names nothing
    }
    int port = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      port = port * 10 + (c - '0');
    }
    return port <= 65535;
  }
}
