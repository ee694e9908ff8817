package io.portico.chain;

import io.portico.plugin.PluginJarLoader;
import io.portico.spi.Reply;
import java.nio.file.Path;

/**
 * A plugin threw (an exception or a non-fatal {@link Error}) or failed its future. Carries the
 * answer the client gets: 500 {@code plugin_error} naming the plugin, and for a drop-in its jar.
 */
public final class PluginFailure extends RuntimeException {
  private final String plugin;
  private final transient Reply reply;

  private PluginFailure(String plugin, String where, Reply reply, Throwable cause) {
    super(where, cause, false, false);
    this.plugin = plugin;
    this.reply = reply;
  }

  /**
   * The failure of {@code plugin} ({@code instance} is its object, to find its jar) in {@code
   * phase}.
   */
  public static PluginFailure of(String plugin, Object instance, String phase, Throwable cause) {
    Path jar = PluginJarLoader.jarOf(instance);
    String named = "plugin \"" + plugin + "\"" + (jar == null ? "" : " (" + jar.getFileName() + ")");
    return new PluginFailure(plugin, named + " failed in " + phase + ": " + cause,
        Reply.error(500, "plugin_error", named + " failed to process the request"), cause);
  }

  /** The plugin's name. */
  public String plugin() {
    return plugin;
  }

  /** The client's answer. */
  public Reply reply() {
    return reply;
  }
}
