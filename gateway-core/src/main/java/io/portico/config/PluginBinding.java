package io.portico.config;

import io.portico.spi.PluginFactory;

/**
 * One plugin of a route's effective chain: its factory and its bound, validated config.
 *
 * @param origin where the plugin's block starts, for diagnostics
 */
public record PluginBinding(PluginFactory<?> factory, Record config, ConfigNode.Origin origin) {}
