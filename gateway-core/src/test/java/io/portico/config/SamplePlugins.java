package io.portico.config;

import io.portico.spi.ConfigErrors;
import io.portico.spi.NoConfig;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Small plugin factories for config tests, registered in the test META-INF/services file. They
 * cover each stage position the chain ordering depends on and a config with nested records.
 */
public final class SamplePlugins {

  private SamplePlugins() {}

  private static final Plugin NO_OP = new Plugin() {};

  /** Base of the samples: fixed name, stage and priority. */
  abstract static class Sample<C extends Record> implements PluginFactory<C> {
    private final String name;
    private final Stage stage;
    private final int priority;
    private final Class<C> type;

    Sample(String name, Stage stage, int priority, Class<C> type) {
      this.name = name;
      this.stage = stage;
      this.priority = priority;
      this.type = type;
    }

    @Override public String name() { return name; }
    @Override public Stage stage() { return stage; }
    @Override public int priority() { return priority; }
    @Override public Class<C> configType() { return type; }
    @Override public Plugin create(C config, PluginContext context) { return NO_OP; }
  }

  public record Limit(int capacity, Duration per) {
    public Limit {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity must be at least 1");
      }
    }
  }

  public record LimitConfig(String key, List<Limit> limits) {}

  /** TRAFFIC, 10: validates its limits, reporting a nested field. */
  public static final class LimitFactory extends Sample<LimitConfig> {
    public LimitFactory() {
      super("sample-limit", Stage.TRAFFIC, 10, LimitConfig.class);
    }

    @Override
    public void validate(LimitConfig config, ConfigErrors errors) {
      if (config.limits().isEmpty()) {
        errors.add("limits", "give at least one limit");
      }
      for (int i = 0; i < config.limits().size(); i++) {
        if (config.limits().get(i).per().compareTo(Duration.ofHours(1)) > 0) {
          errors.add("limits[" + i + "].per", "must be at most 1h");
        }
      }
    }
  }

  public record AuthConfig(String issuer, List<String> audiences) {}

  /** AUTHN, 100: requires an issuer. */
  public static final class AuthFactory extends Sample<AuthConfig> {
    public AuthFactory() {
      super("sample-auth", Stage.AUTHN, 100, AuthConfig.class);
    }

    @Override
    public void validate(AuthConfig config, ConfigErrors errors) {
      if (config.issuer() == null) {
        errors.add("issuer", "is required");
      }
    }
  }

  public record HeadersConfig(Map<String, String> add) {}

  /** TRANSFORM, 0. */
  public static final class HeadersFactory extends Sample<HeadersConfig> {
    public HeadersFactory() {
      super("sample-headers", Stage.TRANSFORM, 0, HeadersConfig.class);
    }
  }

  /** INGRESS, 50. */
  public static final class EarlyFactory extends Sample<NoConfig> {
    public EarlyFactory() {
      super("sample-early", Stage.INGRESS, 50, NoConfig.class);
    }
  }

  /** INGRESS, 5: ties with sample-mark, so the name decides. */
  public static final class TagFactory extends Sample<NoConfig> {
    public TagFactory() {
      super("sample-tag", Stage.INGRESS, 5, NoConfig.class);
    }
  }

  /** INGRESS, 5. */
  public static final class MarkFactory extends Sample<NoConfig> {
    public MarkFactory() {
      super("sample-mark", Stage.INGRESS, 5, NoConfig.class);
    }
  }
}
