package io.portico.config;

import java.util.Set;
import java.util.regex.Pattern;

/** Syntax checks for host names, HTTP methods, header names and IP ranges in config, without any lookup. */
public final class NetSyntax {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern IPV4 = Pattern.compile(
      "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
  private static final Set<String> METHODS = Set.of(
      "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  private NetSyntax() {}

  /** A lower-case DNS name ({@code api.example.com}) or a wildcard {@code *.example.com}. */
  public static boolean isHostPattern(String host) {
    String name = host.startsWith("*.") ? host.substring(2) : host;
    if (name.isEmpty() || name.length() > 253 || name.endsWith(".")) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** An HTTP token (RFC 9110 §5.6.2): what a header or cookie name may be. */
  /** Whether {@code name} is an RFC 9110 token (a valid header or cookie name). */
  public static boolean isToken(String name) {
    return TOKEN.matcher(name).matches();
  }

  public static boolean isHttpMethod(String method) {
    return METHODS.contains(method);
  }

  public static java.util.List<String> httpMethods() {
    return METHODS.stream().sorted().toList();
  }

  /** An IPv4 or IPv6 address, optionally with a prefix length: {@code 10.0.0.0/8}, {@code ::1}. */
  public static boolean isCidr(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    int maxPrefix;
    if (IPV4.matcher(address).matches()) {
      maxPrefix = 32;
    } else if (isIpv6(address)) {
      maxPrefix = 128;
    } else {
      return false;
    }
    if (slash < 0) {
      return true;
    }
    String prefix = text.substring(slash + 1);
    if (!prefix.matches("\\d{1,3}")) {
      return false;
    }
    return Integer.parseInt(prefix) <= maxPrefix;
  }

  private static boolean isIpv6(String address) {
    if (!address.contains(":") || !IPV6_CHARS.matcher(address).matches()) {
      return false;
    }
    try {
      // a literal with only hex digits, colons and dots is parsed, never looked up
      return java.net.InetAddress.getByName(address) instanceof java.net.Inet6Address
          || address.contains("::ffff:");
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
