package io.portico.plugins.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.portico.testkit.TestResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jwks-cache}: the last good key set on disk lets a restarted gateway verify while the IdP is down. */
class JwksCacheTest {
  @TempDir
  Path dir;

  private static String config(String backend, String jwksUri, Path cache, String extra) {
    return """
        upstreams: [{ name: b, endpoints: [%s] }]
        routes:
          - name: api
            match: { path-prefix: /api }
            upstream: b
            plugins:
              jwt-auth: { issuer: %s, audiences: [users], jwks-uri: %s, jwks-cache: "%s"%s }
        """.formatted(backend, Idp.ISSUER, jwksUri, cache, extra);
  }

  private static TestResponse call(TestGateway gateway, String token) {
    return gateway.get("/api/x", "Authorization", "Bearer " + token);
  }

  private static String fresh(Idp idp) {
    return idp.token("u", c -> c.jwtID(UUID.randomUUID().toString()));
  }

  @Test
  void aGatewayRestartedWhileTheIdpIsDownServesFromTheCache() throws Exception {
    Path cache = dir.resolve("keys").resolve("id.example.com.jwks.json"); // the folder is created on write
    try (Idp idp = new Idp(); TestBackend backend = TestBackend.start()) {
      String yaml = config(backend.address(), idp.jwksUri(), cache, "");
      try (TestGateway first = TestGateway.start(yaml)) {
        assertThat(call(first, fresh(idp)).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(cache));
      }
      JWKSet written = JWKSet.parse(Files.readString(cache));
      assertThat(written.getKeyByKeyId("k1")).isNotNull();
      assertThat(written.getKeyByKeyId("k1").isPrivate()).as("only public keys on disk").isFalse();
      try (Stream<Path> files = Files.list(cache.getParent())) {
        assertThat(files).as("no temporary file left behind").containsExactly(cache);
      }

      idp.stop();
      try (TestGateway restarted = TestGateway.start(yaml)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> restarted.admin("/readyz").status() == 200);
        assertThat(call(restarted, fresh(idp)).status()).isEqualTo(200);
        assertThat(restarted.admin("/admin/routes").bodyAsString()).contains("\"keys\" : \"cached\"");
        String forged = Idp.sign(Idp.newKey("k1"), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), "u", c -> { });
        assertThat(call(restarted, forged).status()).as("a forged token against the cached set").isEqualTo(401);
        assertThat(backend.requestCount()).isEqualTo(2);
      }
    }
  }

  @Test
  void aCacheOlderThanJwksMaxAgeOrNotAKeySetIsNotUsed() throws Exception {
    try (Idp idp = new Idp(); TestBackend backend = TestBackend.start()) {
      String jwks = new JWKSet(idp.key("k1")).toPublicJWKSet().toString();
      Path old = dir.resolve("old.json");
      Files.writeString(old, jwks);
      Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
      Path corrupt = dir.resolve("corrupt.json");
      Files.writeString(corrupt, "{\"keys\": [ not json");
      idp.stop();
      for (Path cache : new Path[] {old, corrupt}) {
        try (TestGateway gateway = TestGateway.start(config(backend.address(), idp.jwksUri(), cache, ", jwks-max-age: 1h"))) {
          TestResponse answer = call(gateway, fresh(idp));
          assertThat(answer.status()).as(cache.getFileName().toString()).isEqualTo(503);
          assertThat(answer.json().getString("error")).isEqualTo("jwks_unavailable");
          assertThat(gateway.admin("/readyz").status()).isEqualTo(503);
        }
      }
      assertThat(backend.requestCount()).isZero();
    }
  }
}
