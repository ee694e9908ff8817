package io.portico.chain;

import io.micrometer.core.instrument.MeterRegistry;
import io.portico.config.PluginBinding;
import io.portico.plugin.PluginJarLoader;
import io.portico.spi.GatewayStats;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds routes' plugin chains. A plugin whose route had the same factory with an equal config in
 * the previous snapshot keeps its instance (and its state: counters, caches, breaker state); any
 * other binding gets a new instance from {@link PluginFactory#create}. Runs off the event loops.
 */
public final class ChainCompiler {

  private final Vertx vertx;
  private final MeterRegistry meterRegistry;
  private final Path baseDir;
  private final GatewayStats stats;
  private final Map<String, CompiledChain> previous;
  private final PluginFaults faults;
  private final List<Plugin> created = new ArrayList<>();
  private final Set<Plugin> reused = Collections.newSetFromMap(new IdentityHashMap<>());

  /** @param previous the running chains by route name (empty at start) */
  public ChainCompiler(Vertx vertx, MeterRegistry meterRegistry, Path baseDir, GatewayStats stats,
      Map<String, CompiledChain> previous) {
    this.vertx = vertx;
    this.meterRegistry = meterRegistry;
    this.baseDir = baseDir;
    this.stats = stats;
    this.previous = previous;
    this.faults = new PluginFaults(meterRegistry);
  }

  /** The chain of {@code route}; a failing {@code create} propagates after the caller's cleanup. */
  public CompiledChain compile(String route, List<PluginBinding> bindings) {
    if (bindings == null || bindings.isEmpty()) {
      return CompiledChain.EMPTY;
    }
    CompiledChain before = previous.get(route);
    List<String> names = bindings.stream().map(binding -> binding.factory().name()).toList();
    Plugin[] plugins = new Plugin[bindings.size()];
    for (int i = 0; i < plugins.length; i++) {
      PluginBinding binding = bindings.get(i);
      Plugin kept = before == null ? null : find(before, binding);
      if (kept != null) {
        reused.add(kept);
        plugins[i] = kept;
      } else {
        plugins[i] = create(binding.factory(), binding.config(),
            new GatewayPluginContext(vertx, route, meterRegistry, baseDir, names, stats));
        created.add(plugins[i]);
      }
    }
    return new CompiledChain(bindings, names, plugins, faults);
  }

  /** Plugins made by this compiler: they need {@link Plugin#warmUp()}, or a close on failure. */
  public List<Plugin> created() {
    return List.copyOf(created);
  }

  /** Running plugins that the new chains do not keep: close them once the new snapshot is live. */
  public List<Plugin> replaced() {
    List<Plugin> replaced = new ArrayList<>();
    Set<Plugin> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (CompiledChain chain : previous.values()) {
      for (Plugin plugin : chain.plugins()) {
        if (!reused.contains(plugin) && seen.add(plugin)) {
          replaced.add(plugin);
        }
      }
    }
    return replaced;
  }

  /** Closes what this compiler created, when the new snapshot is abandoned. */
  public void abandon() {
    PluginLifecycle.closeAll(created);
  }

  private static Plugin find(CompiledChain chain, PluginBinding binding) {
    for (int i = 0; i < chain.size(); i++) {
      PluginBinding old = chain.binding(i);
      if (old.factory() == binding.factory() && old.config().equals(binding.config())) {
        return chain.plugin(i);
      }
    }
    return null;
  }

  /** {@link PluginFactory#create}; anything it throws becomes an error naming the plugin and its jar. */
  private static <C extends Record> Plugin create(PluginFactory<C> factory, Record config, PluginContext context) {
    Plugin plugin;
    try {
      plugin = factory.create(factory.configType().cast(config), context);
    } catch (Throwable t) {
      PluginFaults.rethrowIfFatal(t);
      throw new IllegalStateException("route " + context.routeName() + ": plugin " + factory.name() + " ("
          + PluginJarLoader.originOf(factory) + ") failed to create its instance: " + t, t);
    }
    if (plugin == null) {
      throw new IllegalStateException("plugin " + factory.name() + " created no instance for route " + context.routeName());
    }
    return plugin;
  }
}
