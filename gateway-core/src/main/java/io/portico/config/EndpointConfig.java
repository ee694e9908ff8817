package io.portico.config;

/**
 * One static endpoint: {@code 127.0.0.1:9001} or {@code {address: 127.0.0.1:9002, weight: 3}}.
 */
public record EndpointConfig(String address, Integer weight, String zone) {
  public EndpointConfig {
    weight = weight != null ? weight : 1;
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be at least 1");
    }
    HostPort.parse(address); // validates
  }

  /** The scalar form: just the address. */
  public static EndpointConfig parse(String address) {
    return new EndpointConfig(address, null, null);
  }
}
