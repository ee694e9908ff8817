package io.portico.plugins.etcd;

import java.util.List;

/**
 * {@code discovery: { etcd: { endpoints: [http://127.0.0.1:2379], prefix: /portico/ } }}.
 *
 * @param endpoints etcd client URLs
 * @param prefix the key prefix; instances live under {@code <prefix>services/<service>/<id>}
 */
public record EtcdSettings(List<String> endpoints, String prefix) {
  public EtcdSettings {
    endpoints = endpoints != null && !endpoints.isEmpty() ? List.copyOf(endpoints) : List.of("http://127.0.0.1:2379");
    prefix = prefix != null ? prefix : "/portico/";
    if (!prefix.endsWith("/")) {
      prefix = prefix + "/";
    }
  }

  String servicePrefix(String service) {
    return prefix + "services/" + service + "/";
  }
}
