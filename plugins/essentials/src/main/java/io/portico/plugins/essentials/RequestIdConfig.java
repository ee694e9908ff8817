package io.portico.plugins.essentials;

/**
 * @param header header carrying the id upstream and back, default {@code X-Request-Id}
 * @param response whether the client sees the id on the answer, default true
 */
public record RequestIdConfig(String header, Boolean response) {
  public RequestIdConfig {
    header = header != null ? header : "X-Request-Id";
    response = response != null ? response : Boolean.TRUE;
    if (header.isBlank()) {
      throw new IllegalArgumentException("header must not be blank");
    }
  }
}
