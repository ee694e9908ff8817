package io.portico.plugin;

import io.portico.spi.ConfigStoreFactory;
import io.portico.spi.EndpointSourceFactory;
import io.portico.spi.PluginApi;
import io.portico.spi.PluginFactory;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads drop-in plugin jars from the {@code plugins-dir}: each jar in its own class loader (child
 * of the gateway's), its factories found by {@link ServiceLoader}. Every problem names the jar, and
 * any problem refuses the whole set, so a gateway never starts with a half-loaded chain.
 *
 * <p>A jar may declare the plugin API it was built against in its manifest
 * ({@code Portico-Plugin-Api: 1.0}); a different major version, or a newer minor one, is refused.
 */
public final class PluginJars {
  /** The manifest attribute naming the plugin API version a jar was built against. */
  public static final String API_ATTRIBUTE = "Portico-Plugin-Api";

  private static final Logger log = LoggerFactory.getLogger(PluginJars.class);

  private PluginJars() {}

  /**
   * The registry of the gateway's own factories plus those of every jar in {@code dir} (a missing
   * folder contributes nothing).
   *
   * @throws IllegalStateException naming the jar for an unreadable jar, an incompatible API
   *     version, a factory that cannot be created, or a plugin name declared twice
   */
  public static PluginRegistry registry(Path dir, ClassLoader parent) {
    List<PluginFactory<?>> plugins = new ArrayList<>();
    List<EndpointSourceFactory<?, ?>> sources = new ArrayList<>();
    Map<String, String> origins = new HashMap<>();
    ServiceLoader.load(PluginFactory.class, parent).forEach(f -> add(plugins, origins, f, "the gateway"));
    ServiceLoader.load(EndpointSourceFactory.class, parent).forEach(f -> sources.add((EndpointSourceFactory<?, ?>) f));
    List<ConfigStoreFactory<?>> stores = new ArrayList<>();
    ServiceLoader.load(ConfigStoreFactory.class, parent).forEach(f -> stores.add((ConfigStoreFactory<?>) f));
    for (Path found : jars(dir)) {
      Path jar = found.toAbsolutePath(); // every message names the full path
      PluginJarLoader loader = loaderFor(jar, parent);
      int declared = plugins.size() + sources.size() + stores.size();
      try {
        loader.apiVersion(checkApiVersion(jar));
        checkLinks(jar, parent);
        for (ServiceLoader.Provider<PluginFactory> provider : ServiceLoader.load(PluginFactory.class, loader).stream().toList()) {
          if (provider.type().getClassLoader() == loader) {
            PluginFactory<?> factory = provider.get();
            describe(factory); // touches every SPI method: an incompatible build fails here
            add(plugins, origins, factory, jar.toString());
          }
        }
        for (ServiceLoader.Provider<EndpointSourceFactory> provider : ServiceLoader.load(EndpointSourceFactory.class, loader).stream().toList()) {
          if (provider.type().getClassLoader() == loader) {
            sources.add(provider.get());
          }
        }
        for (ServiceLoader.Provider<ConfigStoreFactory> provider : ServiceLoader.load(ConfigStoreFactory.class, loader).stream().toList()) {
          if (provider.type().getClassLoader() == loader) {
            stores.add(provider.get());
          }
        }
      } catch (ServiceConfigurationError | LinkageError e) {
        throw new IllegalStateException(jar + ": cannot load its plugins (built against an incompatible plugin API "
            + "or missing a dependency?): " + e, e);
      } catch (RuntimeException e) {
        throw new IllegalStateException(jar + ": " + e.getMessage(), e);
      }
      declared = plugins.size() + sources.size() + stores.size() - declared;
      if (declared == 0) {
        log.warn("plugin jar {} declares no plugin, discovery type or config store (no META-INF/services entry "
            + "for io.portico.spi.PluginFactory, EndpointSourceFactory or ConfigStoreFactory)", jar);
      } else {
        log.info("loaded plugin jar {}", jar);
      }
    }
    return PluginRegistry.of(plugins, sources, stores).searched(dir);
  }

  private static void add(List<PluginFactory<?>> plugins, Map<String, String> origins, PluginFactory<?> factory, String origin) {
    String previous = origins.putIfAbsent(factory.name(), origin);
    if (previous != null) {
      throw new IllegalStateException("plugin \"" + factory.name() + "\" is declared by both " + previous + " and " + origin);
    }
    plugins.add(factory);
  }

  private static String describe(PluginFactory<?> factory) {
    return factory.name() + " " + factory.stage() + " " + factory.priority() + " " + factory.configType().getName();
  }

  private static List<Path> jars(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list plugins-dir " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  private static PluginJarLoader loaderFor(Path jar, ClassLoader parent) {
    try {
      return new PluginJarLoader(jar, parent);
    } catch (MalformedURLException e) {
      throw new IllegalStateException(jar + ": " + e.getMessage(), e);
    }
  }

  /** The jar's declared plugin API version ({@code null}: none, with a warning); refuses an incompatible one. */
  static String checkApiVersion(Path jar) {
    String declared;
    try (JarFile file = new JarFile(jar.toFile())) {
      declared = file.getManifest() == null ? null : file.getManifest().getMainAttributes().getValue(API_ATTRIBUTE);
    } catch (IOException e) {
      throw new IllegalStateException("not a readable jar: " + e.getMessage(), e);
    }
    if (declared == null) {
      log.warn("{}: no {} entry in its manifest, so its plugin API version cannot be checked; "
          + "add it to the jar's manifest (see docs/plugins.md)", jar, API_ATTRIBUTE);
    } else if (!compatible(declared.trim(), PluginApi.VERSION)) {
      throw new IllegalStateException("built against plugin API " + declared.trim()
          + ", but this gateway provides " + PluginApi.VERSION);
    }
    return declared == null ? null : declared.trim();
  }

  /**
   * Refuses a jar whose classes use a class, method or field of the plugin API (or Vert.x) that
   * the running gateway lacks: it would fail with a {@link LinkageError} at its first request.
   */
  static void checkLinks(Path jar, ClassLoader gateway) {
    List<String> missing;
    try {
      missing = ApiLinkCheck.unresolved(jar, gateway);
    } catch (IOException e) {
      throw new IllegalStateException("not a readable jar: " + e.getMessage(), e);
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("uses what this gateway (plugin API " + PluginApi.VERSION
          + ") does not have, built against a newer API? missing: " + String.join(", ", missing));
    }
  }

  /** Same major, and a minor not newer than the running one. */
  static boolean compatible(String built, String running) {
    String[] b = built.split("\\.");
    String[] r = running.split("\\.");
    try {
      int bMajor = Integer.parseInt(b[0]);
      int bMinor = b.length > 1 ? Integer.parseInt(b[1]) : 0;
      return bMajor == Integer.parseInt(r[0]) && bMinor <= Integer.parseInt(r[1]);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
