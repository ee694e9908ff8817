package io.portico.plugins.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where {@code jwks-cache} may be given. */
class JwksCacheConfigTest {

  private static List<String> errors(JwtAuthConfig config) {
    List<String> errors = new ArrayList<>();
    new JwtAuthPluginFactory().validate(config, (field, message) -> errors.add(field + ": " + message));
    return errors;
  }

  private static JwtAuthConfig.IssuerConfig remote(String name, String cache) {
    return new JwtAuthConfig.IssuerConfig(name, null, "https://" + name + "/jwks.json", null, null, null, null, cache);
  }

  private static JwtAuthConfig withIssuers(List<JwtAuthConfig.IssuerConfig> issuers) {
    return new JwtAuthConfig(null, null, null, null, null, null, null, null, issuers, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null);
  }

  @Test
  void oneFilePerIssuerWithAJwksUri() {
    assertThat(errors(withIssuers(List.of(remote("a.example.com", "a.json"), remote("b.example.com", "b.json"))))).isEmpty();
    assertThat(errors(withIssuers(List.of(remote("a.example.com", "same.json"), remote("b.example.com", "same.json")))))
        .containsExactly("jwks-cache: each issuer needs a jwks-cache file of its own");
    var inline = new JwtAuthConfig.IssuerConfig("c", null, null, null, List.of(Idp.newKey("k").toPublicJWK().toJSONString()),
        null, null, "c.json");
    assertThat(errors(withIssuers(List.of(inline))))
        .containsExactly("issuers[0].jwks-cache: is a file path, and only for an issuer with jwks-uri");
  }
}
