package io.portico.plugins.observability;

/** @param path a file (relative to the config), or absent for standard output */
public record AccessLogConfig(String path) {}
