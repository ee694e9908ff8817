package com.example.portico.apikey;

import java.time.Duration;

/**
 * @param keysFile a file of {@code key=consumer} lines, relative to the config file
 * @param header the request header carrying the key, default {@code X-Api-Key}
 * @param consumerHeader the header telling the upstream who called, default {@code X-Consumer}
 * @param reloadInterval how often the keys file is read again, default 10s
 */
public record ApiKeyAuthConfig(String keysFile, String header, String consumerHeader, Duration reloadInterval) {
  public ApiKeyAuthConfig {
    header = header != null ? header : "X-Api-Key";
    consumerHeader = consumerHeader != null ? consumerHeader : "X-Consumer";
    reloadInterval = reloadInterval != null ? reloadInterval : Duration.ofSeconds(10);
  }
}
