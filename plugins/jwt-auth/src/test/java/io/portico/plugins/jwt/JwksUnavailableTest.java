package io.portico.plugins.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.portico.testkit.TestResponse;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Tokens that cannot be checked yet get 503 jwks_unavailable, never a 401 that ends a valid session. */
class JwksUnavailableTest {

  private static String config(String backend, String jwksUri, String extra) {
    return """
        upstreams: [{ name: b, endpoints: [%s] }]
        routes:
          - name: api
            match: { path-prefix: /api }
            upstream: b
            plugins:
              jwt-auth: { issuer: %s, audiences: [users], jwks-uri: %s%s }
        """.formatted(backend, Idp.ISSUER, jwksUri, extra);
  }

  private static TestResponse call(TestGateway gateway, String token) {
    return gateway.get("/api/x", "Authorization", "Bearer " + token);
  }

  private static String fresh(Idp idp) { // a new token each time, so never a verified-token cache hit
    return idp.token("u", c -> c.jwtID(UUID.randomUUID().toString()));
  }

  private static void assertUnavailable(TestResponse answer) {
    assertThat(answer.status()).as("answer %s", answer).isEqualTo(503);
    assertThat(answer.json().getString("error")).isEqualTo("jwks_unavailable");
    assertThat(Long.parseLong(answer.header("Retry-After"))).isBetween(1L, 10L);
    assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"portico\"");
  }

  private static void assertInvalid(TestResponse answer, String what) {
    assertThat(answer.status()).as(what).isEqualTo(401);
    assertThat(answer.json().getString("error")).as(what).isEqualTo("invalid_token");
  }

  @Test
  void idpDownAtStartGives503ForValidTokensAnd401ForBadOnesUntilTheKeysArrive() throws Exception {
    // the IdP's port is held by a bound socket that does not listen: fetches are refused, and no
    // other socket can take the port before the IdP starts on it
    try (Idp idp = new Idp(); TestBackend backend = TestBackend.start();
        SocketChannel reserved = SocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      int port = ((InetSocketAddress) reserved.getLocalAddress()).getPort();
      idp.stop();
      // a cool-down of an hour: no request triggers a fetch after the first, recovery is the retry timer's
      String yaml = config(backend.address(), "http://127.0.0.1:" + port + "/jwks.json", ", unknown-kid-cooldown: 1h");
      try (TestGateway gateway = TestGateway.start(yaml)) {
        assertThat(gateway.admin("/readyz").status()).isEqualTo(503);
        assertUnavailable(call(gateway, fresh(idp)));
        assertUnavailable(call(gateway, fresh(idp))); // and again: no 401 after the failed first fetch

        long now = System.currentTimeMillis();
        String none = new PlainJWT(new JWTClaimsSet.Builder().issuer(Idp.ISSUER).subject("a").audience("users")
            .expirationTime(new Date(now + 600_000)).build()).serialize();
        assertInvalid(call(gateway, none), "alg none");
        String confused = Idp.sign(new MACSigner(idp.key("k1").toRSAPublicKey().getEncoded()),
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), "a", c -> { });
        assertInvalid(call(gateway, confused), "HS256 forged with the RSA public key");
        assertInvalid(call(gateway, idp.token("a", c -> c.expirationTime(new Date(now - 120_000)))), "expired");
        assertInvalid(call(gateway, idp.token("a", c -> c.issuer("https://evil.example.com"))), "wrong issuer");
        assertInvalid(call(gateway, idp.token("a", c -> c.audience("billing"))), "wrong audience");
        assertInvalid(call(gateway, "eyJhbGciOiJSUzI1NiJ9.e30.@@@"), "malformed");
        assertThat(gateway.admin("/readyz").status()).isEqualTo(503);
        assertThat(gateway.admin("/admin/routes").bodyAsString()).contains("\"keys\" : \"none\"", "\"failed_attempts\"");
        assertThat(backend.requestCount()).isZero();

        TestResponse last = call(gateway, fresh(idp));
        assertUnavailable(last);
        long retryAfter = Long.parseLong(last.header("Retry-After"));
        reserved.close();
        idp.start(port);
        long upAt = System.nanoTime();
        AtomicReference<Integer> unexpected = new AtomicReference<>();
        // the next scheduled attempt is due within Retry-After; the rest is slack for a busy machine
        await().atMost(Duration.ofSeconds(retryAfter + 15)).pollInterval(Duration.ofMillis(100)).until(() -> {
          int status = call(gateway, fresh(idp)).status();
          if (status != 503 && status != 200) {
            unexpected.compareAndSet(null, status);
          }
          return status == 200;
        });
        long tookMillis = (System.nanoTime() - upAt) / 1_000_000;
        System.out.printf("IdP up -> first 200 after %d ms (Retry-After was %d s)%n", tookMillis, retryAfter);
        assertThat(unexpected.get()).as("an answer other than 503 or 200 while the keys came").isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.admin("/readyz").status() == 200);
        assertThat(call(gateway, fresh(idp)).status()).isEqualTo(200);
        assertThat(gateway.admin("/admin/routes").bodyAsString()).contains("\"keys\" : \"fetched\"").doesNotContain("failed_attempts");
      }
    }
  }

  @Test
  void anUnknownKidIs401WhileTheSetIsFreshAnd503OnceItIsOlderThanJwksMaxAge() {
    try (Idp idp = new Idp(); TestBackend backend = TestBackend.start();
        TestGateway gateway = TestGateway.start(config(backend.address(), idp.jwksUri(),
            ", jwks-max-age: 3s, unknown-kid-cooldown: 100ms"))) {
      assertThat(call(gateway, fresh(idp)).status()).isEqualTo(200);
      long fetchedAt = System.nanoTime();
      idp.stop();
      String unknownKid = Idp.sign(Idp.newKey("k9"), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k9").build(), "u", c -> { });
      TestResponse early = call(gateway, unknownKid);
      if (System.nanoTime() - fetchedAt < Duration.ofSeconds(2).toNanos()) { // a very slow machine may be past the age already
        assertInvalid(early, "unknown kid, refetch failed, set fresh");
      }
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
          .until(() -> call(gateway, fresh(idp)).status() == 503);
      assertUnavailable(call(gateway, fresh(idp)));
      assertUnavailable(call(gateway, unknownKid));
    }
  }
}
