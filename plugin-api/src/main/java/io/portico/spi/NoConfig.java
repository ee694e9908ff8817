package io.portico.spi;

/** The config of a plugin without settings: only {@code {}} binds to it. */
public record NoConfig() {}
