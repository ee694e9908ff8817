package io.portico.testkit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portico.spi.GatewayStats;
import io.portico.spi.PluginContext;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link io.portico.spi.PluginFactory#create} gets, built by a test: a Vert.x instance, the
 * route {@code test}, a fresh in-memory meter registry, paths resolved against the working
 * directory, one replica. The setters return the context:
 *
 * <pre>{@code
 * TestPluginContext context = new TestPluginContext(vertx).routeName("orders").replicas(3);
 * Plugin plugin = new MyPluginFactory().create(config, context);
 * ...
 * assertThat(context.count("my_plugin_rejected")).isEqualTo(1);
 * }</pre>
 */
public final class TestPluginContext implements PluginContext {
  private final Vertx vertx;
  private MeterRegistry meterRegistry = new SimpleMeterRegistry();
  private String routeName = "test";
  private Path baseDir = Path.of("");
  private int replicas = 1;
  private List<String> chainPluginNames = List.of();
  private GatewayStats gatewayStats = GatewayStats.NONE;

  public TestPluginContext(Vertx vertx) {
    this.vertx = vertx;
  }

  public TestPluginContext routeName(String routeName) {
    this.routeName = routeName;
    return this;
  }

  /** The folder relative paths of the config resolve against (the config file's, in the gateway). */
  public TestPluginContext baseDir(Path baseDir) {
    this.baseDir = baseDir;
    return this;
  }

  /** How many gateway replicas share the load, as the gateway would know it. */
  public TestPluginContext replicas(int replicas) {
    this.replicas = replicas;
    return this;
  }

  public TestPluginContext chainPluginNames(List<String> names) {
    this.chainPluginNames = List.copyOf(names);
    return this;
  }

  /** The registry the plugin registers its meters in (default: a fresh in-memory one). */
  public TestPluginContext meterRegistry(MeterRegistry registry) {
    this.meterRegistry = registry;
    return this;
  }

  public TestPluginContext gatewayStats(GatewayStats stats) {
    this.gatewayStats = stats;
    return this;
  }

  @Override public Vertx vertx() { return vertx; }
  @Override public String routeName() { return routeName; }
  @Override public MeterRegistry meterRegistry() { return meterRegistry; }
  @Override public Path resolvePath(String path) { return baseDir.resolve(path); }
  @Override public int replicas() { return replicas; }
  @Override public List<String> chainPluginNames() { return chainPluginNames; }
  @Override public GatewayStats gatewayStats() { return gatewayStats; }

  /**
   * The count of the counter {@code name} tagged {@code route=<routeName>} and {@code tags}
   * (alternating names and values); 0 when the plugin never registered it.
   */
  public double count(String name, String... tags) {
    var search = meterRegistry.find(name).tag("route", routeName);
    for (int i = 0; i + 1 < tags.length; i += 2) {
      search = search.tag(tags[i], tags[i + 1]);
    }
    Counter counter = search.counter();
    return counter == null ? 0 : counter.count();
  }
}
