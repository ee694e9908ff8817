package io.portico.chain;

import io.portico.config.PluginBinding;
import io.portico.spi.Plugin;
import io.portico.spi.UpstreamInterceptor;
import java.util.ArrayList;
import java.util.List;

/**
 * The plugin chain of one route, compiled at config load: plugins in {@code onRequest} order and
 * the upstream interceptors among them, first one outermost. Immutable and shared by all loops.
 */
public final class CompiledChain {
  static final CompiledChain EMPTY = new CompiledChain(List.of(), List.of(), new Plugin[0], PluginFaults.LOG_ONLY);

  private final List<PluginBinding> bindings;
  private final List<String> names;
  private final Plugin[] plugins;
  private final UpstreamInterceptor[] interceptors;
  private final String[] interceptorNames;
  private final PluginFaults faults;
  private final List<PluginView> views;

  /** @param names the plugins' names, the list instance the plugins' contexts were given */
  CompiledChain(List<PluginBinding> bindings, List<String> names, Plugin[] plugins, PluginFaults faults) {
    this.bindings = List.copyOf(bindings);
    this.names = names;
    this.plugins = plugins;
    this.faults = faults;
    List<UpstreamInterceptor> found = new ArrayList<>();
    List<String> foundNames = new ArrayList<>();
    List<PluginView> views = new ArrayList<>(plugins.length);
    for (int i = 0; i < plugins.length; i++) {
      if (plugins[i] instanceof UpstreamInterceptor interceptor) {
        found.add(interceptor);
        foundNames.add(names.get(i));
      }
      PluginBinding binding = bindings.get(i);
      views.add(new PluginView(binding.factory().name(), binding.factory().stage(), binding.factory().priority(), plugins[i]));
    }
    this.interceptors = found.toArray(new UpstreamInterceptor[0]);
    this.interceptorNames = foundNames.toArray(new String[0]);
    this.views = List.copyOf(views);
  }

  public int size() {
    return plugins.length;
  }

  Plugin plugin(int index) {
    return plugins[index];
  }

  String pluginName(int index) {
    return names.get(index);
  }

  /** The plugins' names in {@code onRequest} order; one immutable list per compiled chain. */
  public List<String> pluginNames() {
    return names;
  }

  PluginBinding binding(int index) {
    return bindings.get(index);
  }

  /** The interceptors in chain order; the first wraps all the others. */
  public UpstreamInterceptor[] interceptors() {
    return interceptors;
  }

  /** The plugin name of each of {@link #interceptors()}. */
  String interceptorName(int index) {
    return interceptorNames[index];
  }

  /** Where failures of this chain's plugins are counted and logged. */
  PluginFaults faults() {
    return faults;
  }

  /** The plugins, for the admin API. */
  public List<PluginView> views() {
    return views;
  }

  List<Plugin> plugins() {
    return List.of(plugins);
  }
}
