package io.portico.plugins.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.RSAKey;
import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Key rotation under load, an IdP outage, and readiness waiting for the first key set. */
class JwksLifecycleTest {

  private static String gatewayConfig(String backend, String jwksUri) {
    return """
        upstreams: [{ name: b, endpoints: [%s] }]
        routes:
          - name: api
            match: { path-prefix: /api }
            upstream: b
            plugins:
              jwt-auth: { issuer: %s, audiences: [users], jwks-uri: %s, unknown-kid-cooldown: 1s }
        """.formatted(backend, Idp.ISSUER, jwksUri);
  }

  @Test
  void rotationUnderSteadyLoadRejectsNoValidToken() throws Exception {
    try (Idp idp = new Idp(); TestBackend backend = TestBackend.start();
        TestGateway gateway = TestGateway.start(gatewayConfig(backend.address(), idp.jwksUri()))) {
      AtomicReference<Supplier<String>> minter = new AtomicReference<>(
          () -> idp.token("u", c -> c.jwtID(UUID.randomUUID().toString())));
      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      ExecutorService clients = Executors.newFixedThreadPool(8);
      long start = System.nanoTime();
      for (int i = 0; i < 400; i++) { // 100 requests a second for 4 seconds
        long due = start + i * 10_000_000L;
        LockSupport.parkNanos(due - System.nanoTime());
        if (i == 150) { // the IdP rotates: a new key is published and new tokens use it
          RSAKey next = Idp.newKey("k2");
          idp.publish(next);
          minter.set(() -> Idp.sign(next, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k2").build(), "u",
              c -> c.jwtID(UUID.randomUUID().toString())));
        }
        String token = minter.get().get();
        clients.submit(() -> {
          int status = gateway.get("/api/x", "Authorization", "Bearer " + token).status();
          statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
        });
      }
      clients.shutdown();
      assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      // the claim is about tokens: none is refused. A loaded machine may fail the odd exchange
      // for other reasons (the statuses say which), which this test does not judge beyond a bound.
      assertThat(statuses).as("answers by status").doesNotContainKey(401);
      assertThat(statuses.get(200)).as("answers by status: %s", statuses).isNotNull();
      assertThat(statuses.get(200).get()).as("answers by status: %s", statuses).isGreaterThanOrEqualTo(396);
    }
  }

  @Test
  void validTokensKeepPassingWhileTheIdpIsDown() {
    try (Idp idp = new Idp(); TestBackend backend = TestBackend.start();
        TestGateway gateway = TestGateway.start(gatewayConfig(backend.address(), idp.jwksUri()))) {
      assertThat(gateway.get("/api/x", "Authorization", "Bearer " + idp.token("a", c -> { })).status()).isEqualTo(200);
      idp.stop();
      for (int i = 0; i < 5; i++) { // new tokens, so not served from the verified-token cache
        String token = idp.token("user" + i, c -> c.jwtID(UUID.randomUUID().toString()));
        assertThat(gateway.get("/api/x", "Authorization", "Bearer " + token).status()).isEqualTo(200);
      }
    }
  }

  @Test
  void readyOnlyOnceTheKeysAreFetched() throws Exception {
    // the IdP's port is held by a bound socket that does not listen: fetches are refused, and no
    // other socket of this machine can take the port before the IdP starts on it
    try (Idp idp = new Idp(); TestBackend backend = TestBackend.start();
        SocketChannel reserved = SocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      int port = ((InetSocketAddress) reserved.getLocalAddress()).getPort();
      idp.stop(); // the IdP is not up yet when the gateway starts
      try (TestGateway gateway = TestGateway.start(gatewayConfig(backend.address(), "http://127.0.0.1:" + port + "/jwks.json"))) {
        assertThat(gateway.admin("/readyz").status()).isEqualTo(503);
        reserved.close();
        idp.start(port);
        await().atMost(Duration.ofSeconds(15)).until(() -> gateway.admin("/readyz").status() == 200);
        assertThat(gateway.get("/api/x", "Authorization", "Bearer " + idp.token("a", c -> { })).status()).isEqualTo(200);
      }
    }
  }

}
