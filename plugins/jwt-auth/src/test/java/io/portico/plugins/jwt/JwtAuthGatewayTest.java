package io.portico.plugins.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.portico.testkit.TestResponse;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every token case of the acceptance list, through a real gateway, backend and JWKS endpoint. */
class JwtAuthGatewayTest {
  Idp idp;
  TestBackend backend;
  TestGateway gateway;

  @BeforeEach
  void start() {
    idp = new Idp();
    backend = TestBackend.start();
    gateway = TestGateway.start("""
        limits: { max-header-size: 131072 }
        upstreams: [{ name: b, endpoints: [%s] }]
        routes:
          - name: api
            match: { path-prefix: /api }
            upstream: b
            plugins:
              jwt-auth:
                issuer: %s
                audiences: [users]
                jwks-uri: %s
                claims-to-headers: { sub: X-User-Id }
                unknown-kid-cooldown: 2s
          - name: admin
            match: { path-prefix: /admin-api }
            upstream: b
            plugins:
              jwt-auth: { issuer: %s, audiences: [users], jwks-uri: %s, scopes: [admin] }
        """.formatted(backend.address(), Idp.ISSUER, idp.jwksUri(), Idp.ISSUER, idp.jwksUri()));
  }

  @AfterEach
  void stop() {
    gateway.close();
    backend.close();
    idp.close();
  }

  TestResponse call(String path, String token) {
    return gateway.get(path, "Authorization", "Bearer " + token, "X-User-Id", "spoofed");
  }

  void assertRejected(TestResponse answer, String description) {
    assertThat(answer.status()).as(description).isEqualTo(401);
    assertThat(answer.json().getString("error")).isEqualTo("invalid_token");
    assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer realm=\"portico\", error=\"invalid_token\"");
  }

  @Test
  void aValidTokenPassesWithItsClaimsAndNoSpoofedHeader() {
    TestResponse answer = call("/api/me", idp.token("alice", c -> { }));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(backend.requests()).hasSize(1);
    assertThat(backend.requests().get(0).headers().getAll("X-User-Id")).containsExactly("alice");
  }

  @Test
  void noTokenAsksForOne() {
    TestResponse answer = gateway.get("/api/me");
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.json().getString("error")).isEqualTo("missing_token");
    assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"portico\"");
  }

  @Test
  void everyBadTokenIsRefusedAndNeverReachesTheBackend() throws Exception {
    long now = System.currentTimeMillis();
    assertRejected(call("/api/x", idp.token("a", c -> c.expirationTime(new Date(now - 120_000)))), "expired");
    assertRejected(call("/api/x", idp.token("a", c -> c.notBeforeTime(new Date(now + 600_000)))), "nbf in the future");
    assertRejected(call("/api/x", idp.token("a", c -> c.issuer("https://evil.example.com"))), "wrong issuer");
    assertRejected(call("/api/x", idp.token("a", c -> c.audience("billing"))), "wrong audience");
    assertRejected(call("/api/x", idp.token("a", c -> c.expirationTime(null))), "no exp");

    String none = new PlainJWT(new JWTClaimsSet.Builder().issuer(Idp.ISSUER).subject("a").audience("users")
        .expirationTime(new Date(now + 600_000)).build()).serialize();
    assertRejected(call("/api/x", none), "alg none");

    RSAKey published = idp.key("k1");
    String confused = Idp.sign(new MACSigner(published.toRSAPublicKey().getEncoded()),
        new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), "a", c -> { });
    assertRejected(call("/api/x", confused), "HS256 with the RSA public key as secret");

    String forged = Idp.sign(Idp.newKey("k1"), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), "a", c -> { });
    assertRejected(call("/api/x", forged), "right kid, another key");

    assertRejected(call("/api/x", "eyJhbGciOiJSUzI1NiJ9.@@@not-base64@@@.sig"), "malformed base64");
    assertRejected(call("/api/x", "a".repeat(64 * 1024)), "64 KiB token");

    assertThat(backend.requestCount()).isZero();
  }

  @Test
  void aMissingScopeIsForbidden() {
    TestResponse answer = call("/admin-api/x", idp.token("a", c -> c.claim("scope", "read write")));
    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.json().getString("error")).isEqualTo("insufficient_scope");
    assertThat(answer.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"");
    assertThat(call("/admin-api/x", idp.token("a", c -> c.claim("scp", java.util.List.of("admin")))).status()).isEqualTo(200);
  }

  @Test
  void anUnknownKidRefetchesOnceThenIsRefused() {
    assertThat(call("/api/x", idp.token("a", c -> { })).status()).isEqualTo(200); // keys loaded
    int before = idp.fetches();
    RSAKey stranger = Idp.newKey("nobody");
    for (int i = 0; i < 5; i++) {
      assertRejected(call("/api/x", Idp.sign(stranger, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("nobody-" + i).build(),
          "a", c -> { })), "unknown kid");
    }
    assertThat(idp.fetches() - before).isEqualTo(1); // one refetch per cool-down, however many kids
  }

  @Test
  void rotatedKeysAreAcceptedAfterARefetchAndOldOnesKeepWorking() {
    String old = idp.token("a", c -> { });
    assertThat(call("/api/x", old).status()).isEqualTo(200);
    RSAKey next = Idp.newKey("k2");
    idp.publish(next);
    String fresh = Idp.sign(next, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k2").build(), "b", c -> { });
    assertThat(call("/api/x", fresh).status()).isEqualTo(200);
    assertThat(call("/api/x", idp.token("c", c -> { })).status()).isEqualTo(200);
  }

  @Test
  void aJkuHeaderIsNeverFollowed() throws Exception {
    try (ServerSocket trap = new ServerSocket(0)) {
      RSAKey attacker = Idp.newKey("evil");
      String token = Idp.sign(attacker, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("evil")
          .jwkURL(URI.create("http://127.0.0.1:" + trap.getLocalPort() + "/jwks.json")).build(), "a", c -> { });
      assertRejected(call("/api/x", token), "jku");
      trap.setSoTimeout(300);
      boolean connected;
      try (var ignored = trap.accept()) {
        connected = true;
      } catch (SocketTimeoutException e) {
        connected = false;
      }
      assertThat(connected).as("the gateway connected to the token's jku").isFalse();
    }
  }
}
