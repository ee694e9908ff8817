package io.portico.config;

/**
 * {@code listen.tls:} PEM certificate chain and private key files, relative to the config file.
 */
public record TlsConfig(String cert, String key) {}
