package io.portico.config;

import io.portico.spi.EndpointSourceFactory;

/**
 * The discovery of one upstream: its factory and its bound, validated configs, ready for
 * {@link EndpointSourceFactory#create}.
 *
 * @param settings the gateway-wide {@code discovery.<type>} block bound to the factory's
 *     settings type, or {@code null} when the config has none
 * @param config the upstream's {@code discovery} block (without {@code type}) bound to the
 *     factory's upstream config type
 * @param origin where the upstream's {@code discovery} block starts
 */
public record DiscoveryBinding(EndpointSourceFactory<?, ?> factory, Record settings, Record config, ConfigNode.Origin origin) {}
