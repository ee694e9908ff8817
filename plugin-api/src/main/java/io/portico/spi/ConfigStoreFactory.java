package io.portico.spi;

/**
 * A live config store ({@code config: { etcd: {...} }}): routes, upstreams and global plugins kept
 * outside the config files, followed by every gateway replica, written through the admin API.
 * Found by {@link java.util.ServiceLoader} (declare it in {@code
 * META-INF/services/io.portico.spi.ConfigStoreFactory}); one instance per JVM.
 *
 * <p>The gateway binds the {@code config.<type>} block strictly to {@link #settingsType()}, calls
 * {@link #validate}, and at start {@link #open opens} one store per gateway. When the config has no
 * top-level {@code discovery.<type>} block, a discovery type of the same name receives these
 * settings instead, so that one block configures both.
 *
 * @param <S> the settings record bound from {@code config.<type>}
 * @since 1.2
 */
public interface ConfigStoreFactory<S extends Record> {

  /** The key under {@code config:} that selects this store: {@code etcd}. */
  String type();

  Class<S> settingsType();

  /** Checks the settings beyond their types. */
  default void validate(S settings, ConfigErrors errors) {}

  /**
   * Opens a store; it does not contact the backend before {@link ConfigStore#follow} or a write.
   * Called off the event loops.
   */
  ConfigStore open(S settings);
}
