package io.portico.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PathNormalizerTest {

  @Test
  void cleanPathIsReturnedAsIs() {
    String path = "/users/42/orders";
    assertThat(PathNormalizer.normalize(path)).isSameAs(path);
    assertThat(PathNormalizer.normalize("/a.b/c..d/")).isEqualTo("/a.b/c..d/");
  }

  @ParameterizedTest
  @CsvSource({
      "/a/./b, /a/b",
      "/a/b/../c, /a/c",
      "/a//b, /a/b",
      "/a/%2e%2e/b, /b",
      "/a/%2E/b, /a/b",
      "/users/%7Ebob, /users/~bob",
      "/caf%c3%a9, /caf%C3%A9",
      "/a/b/., /a/b/",
      "/a/b/.., /a/",
      "//, /",
      "/a/b/, /a/b/",
      "/%41%42, /AB",
      "/a;v=1/b, /a;v=1/b",
      "/a/..x;y/b, /a/..x;y/b",
      "/%e2%82%ac, /%E2%82%AC",
      "/%f0%9f%98%80/x, /%F0%9F%98%80/x",
      "/%ed%9f%bf, /%ED%9F%BF",
      "/%c2%80, /%C2%80",
  })
  void normalises(String raw, String expected) {
    assertThat(PathNormalizer.normalize(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a/b", "/..", "/a/../..", "/%2e%2e/etc", "/a/..%2fb", "/a%2Fb", "/a%5cb",
      "/a\\b", "/a%00", "/a%0a", "/a%", "/a%4", "/a%zz", "/a\tb"})
  void refusesAmbiguousPaths(String raw) {
    assertThatThrownBy(() -> PathNormalizer.normalize(raw)).isInstanceOf(BadPathException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/..;/admin", "/api/..;jsessionid=1/admin", "/api/.;/x", "/api/%2e%2e;/admin",
      "/api/%2E;x/a", "/api/..;"})
  void refusesDotSegmentsWithParameters(String raw) {
    assertThatThrownBy(() -> PathNormalizer.normalize(raw)).isInstanceOf(BadPathException.class)
        .hasMessageContaining("parameters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/%c0%ae%c0%ae/admin", "/a%c0%af", "/%e0%80%ae", "/%80", "/a%bf", "/%c3", "/%c3%28",
      "/%e2%82", "/%ed%a0%80", "/%f4%90%80%80", "/%f8%88%80%80%80", "/%ff", "/%c1%81", "/%e2%82%"})
  void refusesPercentEncodingsThatAreNotUtf8(String raw) {
    assertThatThrownBy(() -> PathNormalizer.normalize(raw)).isInstanceOf(BadPathException.class);
  }

  @Test
  void traversalCannotLeaveAPrefix() {
    assertThat(PathNormalizer.normalize("/public/../admin")).isEqualTo("/admin");
    assertThat(PathNormalizer.normalize("/public/%2e%2e/admin")).isEqualTo("/admin");
  }
}
