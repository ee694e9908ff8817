package io.portico.spi;

/**
 * Creates plugins of one kind. Found by {@link java.util.ServiceLoader}; one factory instance per
 * JVM, called from the config loader's worker thread (never from an event loop).
 *
 * <p>The config record is bound strictly from YAML or JSON: each record component {@code fooBar}
 * reads the key {@code foo-bar}; unknown keys, wrong types and bad durations are errors that name
 * the file, line and field. A missing key binds to {@code null} (an empty list or map for
 * collections) and a missing primitive is an error, so give optional settings a boxed type and
 * apply defaults in the record's compact constructor. An {@link IllegalArgumentException} thrown
 * by that constructor is reported as an error on the record.
 *
 * @param <C> the config record
 */
public interface PluginFactory<C extends Record> {

  /** The plugin's name: its key in YAML ({@code rate-limit}). Kebab-case, unique in a gateway. */
  String name();

  /** The stage whose position in the chain the plugin takes. */
  Stage stage();

  /** Order within the stage: higher runs first in {@link Plugin#onRequest}. */
  int priority();

  /** The config record type; {@link NoConfig} for plugins without settings. */
  Class<C> configType();

  /**
   * Checks a bound config beyond what its types say, adding every problem to {@code errors}. A
   * config with errors is never passed to {@link #create}.
   */
  default void validate(C config, ConfigErrors errors) {}

  /**
   * Whether the plugin runs on every route with its default settings when the config does not name
   * it among the global {@code plugins:} (the {@code metrics} plugin: statistics are a core duty of
   * the gateway). The config may still tune it globally, or turn it off with {@code name: false}
   * globally or on a route. The default config record is bound from an empty mapping.
   */
  default boolean enabledByDefault() {
    return false;
  }

  /**
   * Creates the plugin for one route (global plugins are created once per route too). Called at
   * config load, off the event loops, for each route whose effective config of this plugin is new
   * or changed; an unchanged route keeps its instance across reloads. Must not block for long: do
   * slow start-up work in {@link Plugin#warmUp()}.
   */
  Plugin create(C config, PluginContext context);
}
