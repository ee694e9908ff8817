package io.portico.endpoint;

/**
 * Identifies one discovered upstream across reloads: the same upstream with the same discovery
 * settings keeps its running source (and its endpoints) when an unrelated part of the config
 * changes.
 */
public record DiscoveryKey(String upstream, String type, Record settings, Record config) {}
