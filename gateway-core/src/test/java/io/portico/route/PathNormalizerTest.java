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

  @Test
  void traversalCannotLeaveAPrefix() {
    assertThat(PathNormalizer.normalize("/public/../admin")).isEqualTo("/admin");
    assertThat(PathNormalizer.normalize("/public/%2e%2e/admin")).isEqualTo("/admin");
  }
}
