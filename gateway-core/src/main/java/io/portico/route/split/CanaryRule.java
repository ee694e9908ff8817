package io.portico.route.split;

import io.portico.route.CookieHeader;
import io.portico.route.RouteRequest;
import java.util.Map;

/**
 * A canary rule compiled from {@code routes[].canary[]}: the request goes to {@link #target()} when
 * it carries every listed header and cookie with the listed value ({@code "*"}: with any value).
 * Like {@code match.headers}, it reads the headers the client sent. Immutable.
 *
 * @param <T> what a matching request goes to (an upstream)
 */
public final class CanaryRule<T> {
  private static final String ANY_VALUE = "*";

  private final T target;
  private final String[] headerNames;
  private final String[] headerValues;
  private final String[] cookieNames;
  private final String[] cookieValues;

  /**
   * @param headers header name to value, names in any case
   * @param cookies cookie name to value
   */
  public CanaryRule(T target, Map<String, String> headers, Map<String, String> cookies) {
    this.target = target;
    this.headerNames = headers.keySet().toArray(String[]::new);
    this.headerValues = values(headers, headerNames);
    this.cookieNames = cookies.keySet().toArray(String[]::new);
    this.cookieValues = values(cookies, cookieNames);
  }

  private static String[] values(Map<String, String> map, String[] names) {
    String[] values = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      values[i] = map.get(names[i]);
    }
    return values;
  }

  public T target() {
    return target;
  }

  /** Whether {@code request} carries every header and cookie of this rule. */
  public boolean matches(RouteRequest request) {
    for (int i = 0; i < headerNames.length; i++) {
      if (!valueMatches(headerValues[i], request.header(headerNames[i]))) {
        return false;
      }
    }
    if (cookieNames.length > 0) {
      // one Cookie header: HTTP/1.1 clients send one, and HTTP/2 cookie fields arrive joined
      String cookies = request.header("cookie");
      if (cookies == null) {
        return false;
      }
      for (int i = 0; i < cookieNames.length; i++) {
        if (!valueMatches(cookieValues[i], CookieHeader.value(cookies, cookieNames[i]))) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean valueMatches(String expected, String actual) {
    return actual != null && (ANY_VALUE.equals(expected) || expected.equals(actual));
  }
}
