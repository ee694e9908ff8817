package io.portico.config;

import java.util.List;
import java.util.Map;

/**
 * {@code routes[].match:} at most one of {@code path}, {@code path-prefix}, {@code path-regex}
 * (none matches every path).
 *
 * @param hosts exact host names or wildcards {@code *.example.com}; empty matches any host
 * @param methods HTTP methods; empty matches any
 * @param headers header name to required value; {@code "*"} only requires presence
 * @param query query parameter name to required value; {@code "*"} only requires presence
 */
public record MatchConfig(
    List<String> hosts,
    String path,
    String pathPrefix,
    String pathRegex,
    List<String> methods,
    Map<String, String> headers,
    Map<String, String> query) {
  public MatchConfig {
    hosts = hosts != null ? List.copyOf(hosts) : List.of();
    methods = methods != null ? List.copyOf(methods) : List.of();
    headers = headers != null ? Map.copyOf(headers) : Map.of();
    query = query != null ? Map.copyOf(query) : Map.of();
  }
}
