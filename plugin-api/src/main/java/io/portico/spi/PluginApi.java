package io.portico.spi;

/** Version of this plugin API, checked when a drop-in plugin jar is loaded. */
public final class PluginApi {
  /**
   * {@code major.minor}: a plugin built against the same major and a minor not newer than the
   * running gateway's loads; anything else is refused with an error naming the jar.
   *
   * <p>1.4: {@link Decision#asFuture()} ({@code Decision.next().asFuture()} to carry on);
   * {@code Decision.CONTINUE} deprecated.
   *
   * <p>1.5: {@link ExchangeLog#grpcStatus()}.
   */
  public static final String VERSION = "1.5";

  private PluginApi() {}
}
