package io.portico.plugins.etcd;

import io.portico.spi.Endpoint;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The value an instance registers: {@code {"address":"10.0.0.7:8080","weight":100,"zone":"a","metadata":{}}}.
 */
final class Instance {
  private Instance() {}

  static String json(String address, int weight, String zone, Map<String, String> metadata) {
    return new JsonObject().put("address", address).put("weight", weight).put("zone", zone)
        .put("metadata", new JsonObject(new HashMap<>(metadata))).encode();
  }

  /** @throws IllegalArgumentException for a value that is not a valid instance */
  static Endpoint parse(String json) {
    JsonObject value;
    try {
      value = new JsonObject(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not JSON");
    }
    String address = value.getString("address");
    if (address == null) {
      throw new IllegalArgumentException("no address");
    }
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("address is not host:port");
    }
    String host = address.substring(0, colon).replace("[", "").replace("]", "");
    int port = Integer.parseInt(address.substring(colon + 1));
    Integer weight = value.getInteger("weight", 1);
    Map<String, String> metadata = new HashMap<>();
    JsonObject meta = value.getJsonObject("metadata");
    if (meta != null) {
      meta.forEach(e -> metadata.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return new Endpoint(host, port, Math.max(1, weight), value.getString("zone"), true, metadata);
  }
}
