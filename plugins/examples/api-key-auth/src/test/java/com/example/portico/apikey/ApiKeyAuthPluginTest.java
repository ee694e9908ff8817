package com.example.portico.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.portico.testkit.TestResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeyAuthPluginTest {
  TestBackend backend;
  TestGateway gateway;

  @BeforeEach
  void start() throws Exception {
    backend = TestBackend.start();
    gateway = TestGateway.start("""
        upstreams: [{ name: b, endpoints: [%s] }]
        routes:
          - name: api
            match: { path-prefix: /api }
            upstream: b
            plugins:
              api-key-auth: { keys-file: keys.txt, reload-interval: 200ms }
        """.formatted(backend.address()), dir -> Files.writeString(dir.resolve("keys.txt"), "# key=consumer\nk-alice=alice\nk-bob = bob\n"));
  }

  @AfterEach
  void stop() {
    gateway.close();
    backend.close();
  }

  @Test
  void knownKeyPassesWithTheConsumerAndWithoutTheKey() {
    TestResponse answer = gateway.get("/api/orders", "X-Api-Key", "k-bob");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(backend.requests()).hasSize(1);
    assertThat(backend.requests().get(0).header("X-Consumer")).isEqualTo("bob");
    assertThat(backend.requests().get(0).header("X-Api-Key")).isNull();
  }

  @Test
  void missingOrUnknownKeysNeverReachTheBackend() {
    TestResponse missing = gateway.get("/api/orders");
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.json().getString("error")).isEqualTo("missing_api_key");
    assertThat(missing.header("WWW-Authenticate")).isEqualTo("ApiKey header=\"X-Api-Key\"");

    TestResponse unknown = gateway.get("/api/orders", "X-Api-Key", "k-mallory");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.json().getString("error")).isEqualTo("invalid_api_key");
    assertThat(backend.requestCount()).isZero();
  }

  @Test
  void editedKeysFileIsPickedUpWithoutARestart() throws Exception {
    Files.writeString(gateway.configDir().resolve("keys.txt"), "k-carol=carol\n");
    await().atMost(Duration.ofSeconds(10))
        .until(() -> gateway.get("/api/x", "X-Api-Key", "k-carol").status() == 200);
    assertThat(gateway.get("/api/x", "X-Api-Key", "k-alice").status()).isEqualTo(401);
  }
}
