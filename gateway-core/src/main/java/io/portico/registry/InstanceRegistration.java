package io.portico.registry;

import io.portico.config.bind.Durations;
import io.portico.config.HostPort;
import io.portico.spi.Endpoint;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code PUT /admin/services/{service}/instances/{id}}:
 * {@code {"address":"127.0.0.1:9001","ttl":"10s","weight":1,"zone":"a","metadata":{}}}. Only
 * {@code address} is required; {@code ttl} defaults to 10s (1s to 1h), {@code weight} to 1.
 */
public record InstanceRegistration(String address, Duration ttl, int weight, String zone, Map<String, String> metadata) {

  private static final Duration DEFAULT_TTL = Duration.ofSeconds(10);
  private static final Duration MAX_TTL = Duration.ofHours(1);
  private static final List<String> FIELDS = List.of("address", "ttl", "weight", "zone", "metadata");

  public InstanceRegistration {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A field of the body and what is wrong with it. */
  public record Problem(String path, String message) {}

  /** Thrown by {@link #parse} with every problem of the body. */
  public static final class InvalidRegistration extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    InvalidRegistration(List<Problem> problems) {
      super(problems.toString(), null, false, false);
      this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
      return problems;
    }
  }

  /** Reads and checks a request body. */
  public static InstanceRegistration parse(JsonObject body) throws InvalidRegistration {
    List<Problem> problems = new java.util.ArrayList<>();
    for (String field : body.fieldNames()) {
      if (!FIELDS.contains(field)) {
        problems.add(new Problem(field, "unknown field (expected one of " + FIELDS + ")"));
      }
    }
    String address = text(body, "address", problems);
    if (address == null) {
      problems.add(new Problem("address", "is required (host:port)"));
    } else {
      try {
        HostPort.parse(address);
      } catch (IllegalArgumentException e) {
        problems.add(new Problem("address", e.getMessage()));
      }
    }
    Duration ttl = DEFAULT_TTL;
    String ttlText = text(body, "ttl", problems);
    if (ttlText != null) {
      try {
        ttl = Durations.parse(ttlText);
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
          problems.add(new Problem("ttl", "must be between 1s and 1h, got " + ttlText));
        }
      } catch (IllegalArgumentException e) {
        problems.add(new Problem("ttl", e.getMessage()));
      }
    }
    int weight = 1;
    Object weightValue = body.getValue("weight");
    if (weightValue != null) {
      if (weightValue instanceof Number number && number.doubleValue() == number.intValue() && number.intValue() >= 1) {
        weight = number.intValue();
      } else {
        problems.add(new Problem("weight", "must be a whole number of at least 1, got " + weightValue));
      }
    }
    String zone = text(body, "zone", problems);
    Map<String, String> metadata = new LinkedHashMap<>();
    Object meta = body.getValue("metadata");
    if (meta instanceof JsonObject object) {
      object.forEach(e -> metadata.put(e.getKey(), String.valueOf(e.getValue())));
    } else if (meta != null) {
      problems.add(new Problem("metadata", "expected an object of strings"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidRegistration(problems);
    }
    return new InstanceRegistration(address, ttl, weight, zone, metadata);
  }

  private static String text(JsonObject body, String field, List<Problem> problems) {
    Object value = body.getValue(field);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    problems.add(new Problem(field, "expected a string, got " + value));
    return null;
  }

  /** The endpoint it registers. */
  public Endpoint endpoint() {
    HostPort hostPort = HostPort.parse(address);
    return new Endpoint(hostPort.host(), hostPort.port(), weight, zone, true, metadata);
  }

  /** The value stored for it: {@code {"address":...,"weight":...,"zone":...,"metadata":{}}}. */
  public String instanceJson() {
    return new JsonObject().put("address", address).put("weight", weight).put("zone", zone)
        .put("metadata", new JsonObject(new LinkedHashMap<>(metadata))).encode();
  }
}
