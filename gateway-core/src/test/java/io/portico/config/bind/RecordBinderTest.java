package io.portico.config.bind;

import io.portico.config.ConfigError;
import io.portico.config.ConfigException;
import io.portico.config.ConfigNode;
import io.portico.config.EndpointConfig;
import io.portico.config.source.YamlReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecordBinderTest {

  enum Mode { ROUND_ROBIN, LEAST_REQUEST }

  record Inner(int capacity, Duration per) {}

  record Everything(
      String name,
      boolean enabled,
      Boolean flag,
      int count,
      Long big,
      double ratio,
      Duration timeout,
      Mode mode,
      List<Inner> limits,
      Set<String> tags,
      Map<String, Integer> weights,
      EndpointConfig endpoint,
      ConfigNode raw,
      List<String> absentList,
      Map<String, String> absentMap,
      Integer absentNumber) {}

  private static ConfigNode yaml(String text) throws ConfigException {
    return YamlReader.parse(text, "t.yaml");
  }

  @Test
  void bindsEverySupportedType() throws Exception {
    ConfigNode node = yaml("""
        name: shop
        enabled: true
        flag: false
        count: -3
        big: 10000000000
        ratio: 0.25
        timeout: 250ms
        mode: least-request
        limits: [{capacity: 5, per: 1m}]
        tags: [a, b]
        weights: {z: 1, a: 2}
        endpoint: 127.0.0.1:9001
        raw: {anything: [1, 2]}
        """);

    Everything e = RecordBinder.bindOrThrow(node, Everything.class, "");

    assertThat(e.name()).isEqualTo("shop");
    assertThat(e.enabled()).isTrue();
    assertThat(e.flag()).isFalse();
    assertThat(e.count()).isEqualTo(-3);
    assertThat(e.big()).isEqualTo(10_000_000_000L);
    assertThat(e.ratio()).isEqualTo(0.25);
    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(e.mode()).isEqualTo(Mode.LEAST_REQUEST);
    assertThat(e.limits()).containsExactly(new Inner(5, Duration.ofMinutes(1)));
    assertThat(e.tags()).containsExactly("a", "b");
    assertThat(e.weights()).containsExactly(Map.entry("z", 1), Map.entry("a", 2));
    assertThat(e.endpoint()).isEqualTo(new EndpointConfig("127.0.0.1:9001", 1, null));
    assertThat(e.raw()).isInstanceOf(ConfigNode.Mapping.class);
    assertThat(e.absentList()).isEmpty();
    assertThat(e.absentMap()).isEmpty();
    assertThat(e.absentNumber()).isNull();
    assertThatThrownBy(() -> e.weights().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> e.limits().add(null)).isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "250ms | PT0.25S",
      "10s   | PT10S",
      "1m    | PT1M",
      "2h    | PT2H",
      "1d    | PT24H"})
  void durations(String text, String expected) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"10", "1.5s", "10 sec", "-1s", "s"})
  void badDurationsAreRefused(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a duration such as 250ms");
  }

  @Test
  void endpointsBindFromAScalarOrAMapping() throws Exception {
    record Holder(List<EndpointConfig> endpoints) {}
    Holder h = RecordBinder.bindOrThrow(
        yaml("endpoints: [127.0.0.1:9001, {address: 127.0.0.1:9002, weight: 3, zone: a}]"), Holder.class, "");

    assertThat(h.endpoints()).containsExactly(
        new EndpointConfig("127.0.0.1:9001", 1, null), new EndpointConfig("127.0.0.1:9002", 3, "a"));
  }

  @Test
  void collectsEveryErrorWithOriginAndPath() throws Exception {
    ConfigNode node = yaml("""
        name: [not, a, string]
        count: many
        timeout: 10
        mode: round-robbin
        limits:
          - capacity: 1
            per: 1s
          - per: 2s
        tags: [a, a]
        weights: {x: 1.5}
        endpoint: {address: 127.0.0.1:1, weight: 0}
        tagz: x
        """);
    List<ConfigError> errors = new ArrayList<>();

    Everything e = RecordBinder.bind(node, Everything.class, "route", errors);

    assertThat(e).isNull();
    assertThat(errors).extracting(ConfigError::toString).containsExactly(
        "t.yaml:12 route.tagz: unknown key \"tagz\" (did you mean \"tags\"?)",
        "t.yaml:1 route.name: expected a single value, got a list",
        "t.yaml:1 route.enabled: is required",
        "t.yaml:2 route.count: expected a whole number, got \"many\"",
        "t.yaml:1 route.ratio: is required",
        "t.yaml:3 route.timeout: expected a duration such as 250ms, 10s, 1m, 2h or 1d, got \"10\"",
        "t.yaml:4 route.mode: unknown value \"round-robbin\" (did you mean \"round-robin\"?)",
        "t.yaml:8 route.limits[1].capacity: is required",
        "t.yaml:9 route.tags[1]: duplicate value \"a\"",
        "t.yaml:10 route.weights.x: expected a whole number, got \"1.5\"",
        "t.yaml:11 route.endpoint: weight must be at least 1");
  }

  @Test
  void aMisspeltRequiredKeyGivesOneError() throws Exception {
    List<ConfigError> errors = new ArrayList<>();

    RecordBinder.bind(yaml("capacty: 5\nper: 1s\n"), Inner.class, "limit", errors);

    assertThat(errors).extracting(ConfigError::toString)
        .containsExactly("t.yaml:1 limit.capacty: unknown key \"capacty\" (did you mean \"capacity\"?)");
  }

  @Test
  void aNullBlockBindsAsEmpty() throws Exception {
    record Defaults(String a, List<String> b) {}
    ConfigNode.Mapping root = (ConfigNode.Mapping) yaml("block:\n");

    Defaults d = RecordBinder.bindOrThrow(root.entries().get("block"), Defaults.class, "block");

    assertThat(d).isEqualTo(new Defaults(null, List.of()));
  }
}
