/**
 * The Portico plugin API: the only package a plugin imports from Portico.
 *
 * <p>A plugin is a {@link io.portico.spi.PluginFactory} found by {@link java.util.ServiceLoader}
 * (declare it in {@code META-INF/services/io.portico.spi.PluginFactory}). At config load the
 * gateway binds the plugin's YAML block strictly to the factory's config record, calls
 * {@link io.portico.spi.PluginFactory#validate validate}, and then
 * {@link io.portico.spi.PluginFactory#create create} once per route. The resulting
 * {@link io.portico.spi.Plugin} is called on the event loop that accepted the connection for every
 * exchange on that route.
 *
 * <h2>The threading rule</h2>
 * Every callback of {@link io.portico.spi.Plugin} runs on an event loop. It must never block: no
 * blocking I/O, no {@code Thread.sleep}, no {@code Future.await}, no lock held across I/O. Blocking
 * work goes to {@link io.vertx.core.Vertx#executeBlocking}; its result is returned as a
 * {@link io.vertx.core.Future} that completes back on the exchange's context.
 *
 * <h2>Compatibility</h2>
 * The package follows semantic versioning independently of the engine: within a major
 * {@link io.portico.spi.PluginApi#VERSION version}, types only gain default methods and new
 * types. Plugins compiled against an older minor version keep working.
 */
package io.portico.spi;
