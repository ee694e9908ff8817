package io.portico.plugin;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * The class loader of one drop-in plugin jar (a child of the gateway's). It remembers its jar, so
 * anything loaded through it can name where it came from: see {@link #originOf(Object)}.
 */
public final class PluginJarLoader extends URLClassLoader {
  /** What {@link #originOf} says of a class that came with the gateway. */
  public static final String BUILT_IN = "built-in";

  static {
    registerAsParallelCapable();
  }

  private final Path jar;
  private volatile String apiVersion;

  PluginJarLoader(Path jar, ClassLoader parent) throws MalformedURLException {
    super("plugin:" + jar.getFileName(), new URL[] {jar.toUri().toURL()}, parent);
    this.jar = jar;
  }

  /** Records the plugin API version the jar's manifest declares ({@code null}: none). */
  void apiVersion(String declared) {
    this.apiVersion = declared;
  }

  /**
   * The plugin API version {@code instance}'s class was built against: its jar's manifest entry
   * ({@code null} when the jar declares none), or the running API for a built-in class.
   */
  public static String apiVersionOf(Object instance) {
    return instance.getClass().getClassLoader() instanceof PluginJarLoader loader
        ? loader.apiVersion : io.portico.spi.PluginApi.VERSION;
  }

  /** The jar this loader reads. */
  public Path jar() {
    return jar;
  }

  /** The jar that {@code instance}'s class came from, or {@code null} for a built-in class. */
  public static Path jarOf(Object instance) {
    return instance != null && instance.getClass().getClassLoader() instanceof PluginJarLoader loader ? loader.jar : null;
  }

  /** The jar's path that {@code instance}'s class came from, or {@value #BUILT_IN}. */
  public static String originOf(Object instance) {
    Path jar = jarOf(instance);
    return jar == null ? BUILT_IN : jar.toString();
  }
}
