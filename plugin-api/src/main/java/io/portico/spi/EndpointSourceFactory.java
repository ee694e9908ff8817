package io.portico.spi;

/**
 * A discovery system ({@code discovery: { type: etcd, ... }} on an upstream). Found by
 * {@link java.util.ServiceLoader}; one instance per JVM, so it may share watches between upstreams
 * (one informer per namespace, one etcd client per cluster).
 *
 * @param <S> the gateway-wide settings record, bound from {@code discovery.<type>} at the top of
 *     the config ({@link NoConfig} when there are none)
 * @param <U> the per-upstream record, bound from the upstream's {@code discovery} block without
 *     its {@code type} key
 */
public interface EndpointSourceFactory<S extends Record, U extends Record> {

  /** The {@code type} value that selects this factory: {@code etcd}, {@code kubernetes}. */
  String type();

  Class<S> settingsType();

  Class<U> upstreamConfigType();

  /** Checks a per-upstream config beyond its types. */
  default void validate(U config, ConfigErrors errors) {}

  /**
   * Creates the source for one upstream. {@code settings} is {@code null} when the top-level
   * {@code discovery.<type>} block is absent. Called off the event loops.
   */
  EndpointSource create(S settings, U config, PluginContext context);
}
