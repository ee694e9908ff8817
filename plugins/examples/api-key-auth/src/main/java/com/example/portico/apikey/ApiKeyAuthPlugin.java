package com.example.portico.apikey;

import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.Plugin;
import io.portico.spi.Reply;
import io.vertx.core.Future;

/** Checks the key, sets the consumer, and keeps the key itself from the upstream. */
final class ApiKeyAuthPlugin implements Plugin {
  private final ApiKeyAuthConfig config;
  private final KeyStore keys;
  private final Reply missing;
  private final Reply invalid;

  ApiKeyAuthPlugin(ApiKeyAuthConfig config, KeyStore keys) {
    this.config = config;
    this.keys = keys;
    String challenge = "ApiKey header=\"" + config.header() + "\"";
    this.missing = Reply.error(401, "missing_api_key", "send an API key in " + config.header())
        .withHeader("WWW-Authenticate", challenge);
    this.invalid = Reply.error(401, "invalid_api_key", "unknown API key").withHeader("WWW-Authenticate", challenge);
  }

  @Override
  public Future<Decision> onRequest(Exchange exchange) {
    String key = exchange.requestHeaders().get(config.header());
    if (key == null || key.isBlank()) {
      return missing.asFuture();
    }
    String consumer = keys.consumerOf(key.trim());
    if (consumer == null) {
      return invalid.asFuture();
    }
    exchange.setConsumer(consumer);
    exchange.requestHeaders().remove(config.header());
    exchange.requestHeaders().set(config.consumerHeader(), consumer);
    return Decision.next().asFuture();
  }

  @Override
  public Future<Void> close() {
    return keys.close();
  }
}
