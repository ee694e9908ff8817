/**
 * Finding plugins: {@link io.portico.plugin.PluginRegistry} collects the
 * {@link io.portico.spi.PluginFactory} and {@link io.portico.spi.EndpointSourceFactory}
 * implementations declared in {@code META-INF/services} on the application class path and on the
 * class loaders of drop-in plugin jars.
 */
package io.portico.plugin;
