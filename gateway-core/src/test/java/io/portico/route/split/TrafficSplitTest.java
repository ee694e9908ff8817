package io.portico.route.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portico.route.CookieHeader;
import io.portico.route.RouteRequest;
import io.vertx.core.http.HttpMethod;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficSplitTest {

  /** A request with the given headers (names in lower case). */
  record Request(Map<String, String> headers) implements RouteRequest {
    static Request of(String... nameValues) {
      Map<String, String> headers = new HashMap<>();
      for (int i = 0; i < nameValues.length; i += 2) {
        headers.put(nameValues[i].toLowerCase(Locale.ROOT), nameValues[i + 1]);
      }
      return new Request(headers);
    }

    @Override
    public String host() {
      return "";
    }

    @Override
    public String path() {
      return "/";
    }

    @Override
    public HttpMethod method() {
      return HttpMethod.GET;
    }

    @Override
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String queryParam(String name) {
      return null;
    }
  }

  private static TrafficSplit<String> split(int loops, List<CanaryRule<String>> canaries, Object... targetWeights) {
    List<TrafficSplit.Weighted<String>> weighted = new java.util.ArrayList<>();
    for (int i = 0; i < targetWeights.length; i += 2) {
      weighted.add(new TrafficSplit.Weighted<>((String) targetWeights[i], (Integer) targetWeights[i + 1]));
    }
    return new TrafficSplit<>(weighted, canaries, loops);
  }

  @Test
  void eachLoopFollowsTheWeightsExactlyOverEveryCycle() {
    TrafficSplit<String> split = split(2, List.of(), "v1", 90, "v2", 10);
    Request request = Request.of();
    for (int loop = 0; loop < 2; loop++) {
      for (int cycle = 0; cycle < 100; cycle++) {
        int v2 = 0;
        for (int i = 0; i < 100; i++) {
          v2 += split.choose(loop, request).equals("v2") ? 1 : 0;
        }
        assertThat(v2).isEqualTo(10);
      }
    }
  }

  @Test
  void picksInterleaveRatherThanComeInRuns() {
    TrafficSplit<String> split = split(1, List.of(), "a", 5, "b", 1, "c", 1);
    StringBuilder sequence = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      sequence.append(split.choose(0, Request.of()));
    }
    assertThat(sequence).hasToString("aabacaa");
  }

  @Test
  void aCallerOffTheLoopsGetsARandomPickThatFollowsTheWeights() {
    TrafficSplit<String> split = split(1, List.of(), "v1", 90, "v2", 10);
    int v2 = 0;
    for (int i = 0; i < 10_000; i++) {
      v2 += split.choose(-1, Request.of()).equals("v2") ? 1 : 0;
    }
    assertThat(v2).isBetween(800, 1200);
  }

  @Test
  void theFirstMatchingCanaryRuleWinsBeforeTheSplit() {
    CanaryRule<String> byHeader = new CanaryRule<>("canary-h", Map.of("X-Canary", "on"), Map.of());
    CanaryRule<String> byCookie = new CanaryRule<>("canary-c", Map.of(), Map.of("beta", "1"));
    CanaryRule<String> both = new CanaryRule<>("canary-both", Map.of("X-Team", "*"), Map.of("beta", "*"));
    TrafficSplit<String> split = split(1, List.of(byHeader, both, byCookie), "v1", 1);

    assertThat(split.choose(0, Request.of())).isEqualTo("v1");
    assertThat(split.choose(0, Request.of("x-canary", "on"))).isEqualTo("canary-h");
    assertThat(split.choose(0, Request.of("X-Canary", "on", "cookie", "beta=1"))).isEqualTo("canary-h");
    assertThat(split.choose(0, Request.of("X-Canary", "off"))).isEqualTo("v1");
    assertThat(split.choose(0, Request.of("cookie", "a=b; beta=1"))).isEqualTo("canary-c");
    assertThat(split.choose(0, Request.of("cookie", "beta=2"))).isEqualTo("v1");
    assertThat(split.choose(0, Request.of("x-team", "red", "cookie", "beta=2"))).isEqualTo("canary-both");
    assertThat(split.choose(0, Request.of("x-team", "red"))).isEqualTo("v1");
    assertThat(split.splits()).isTrue();
    assertThat(split.first()).isEqualTo("v1");
  }

  @Test
  void cookiesAreFoundByExactNameAmongOthers() {
    assertThat(CookieHeader.value("beta=1", "beta")).isEqualTo("1");
    assertThat(CookieHeader.value("a=1;beta=2; c=3", "beta")).isEqualTo("2");
    assertThat(CookieHeader.value("a=1; beta=\"3\" ", "beta")).isEqualTo("3");
    assertThat(CookieHeader.value("xbeta=1; betax=2", "beta")).isNull();
    assertThat(CookieHeader.value("a=beta=1", "beta")).isNull();
    assertThat(CookieHeader.value("Beta=1", "beta")).isNull();
    assertThat(CookieHeader.value("beta=", "beta")).isEmpty();
    assertThat(CookieHeader.value("", "beta")).isNull();
  }

  @Test
  void weightsBelowOneAreRefused() {
    assertThatThrownBy(() -> new TrafficSplit.Weighted<>("a", 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
