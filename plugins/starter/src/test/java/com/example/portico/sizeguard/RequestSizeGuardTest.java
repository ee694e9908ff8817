package com.example.portico.sizeguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.spi.Decision;
import io.portico.spi.Reply;
import io.portico.testkit.PluginHarness;
import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.portico.testkit.TestResponse;
import org.junit.jupiter.api.Test;

class RequestSizeGuardTest {
  private final RequestSizeGuardFactory factory = new RequestSizeGuardFactory();

  @Test
  void refusesADeclaredLengthOverTheLimit() {
    try (PluginHarness harness = PluginHarness.create(factory, new RequestSizeGuardFactory.Config(10))) {
      assertThat(harness.onRequest(harness.exchange().header("Content-Length", "10"))).isSameAs(Decision.next());

      Decision refused = harness.onRequest(harness.exchange().header("Content-Length", "11"));
      assertThat(refused).isInstanceOf(Reply.class);
      assertThat(((Reply) refused).status()).isEqualTo(413);
      assertThat(harness.context().count("request_size_guard_refused")).isEqualTo(1);
    }
  }

  @Test
  void rejectsANonPositiveLimit() {
    assertThat(PluginHarness.validate(factory, new RequestSizeGuardFactory.Config(0)))
        .containsExactly("max-bytes: must be positive");
  }

  @Test
  void inARealGatewayOnlySmallBodiesReachTheUpstream() {
    try (TestBackend backend = TestBackend.start();
         TestGateway gateway = TestGateway.start("""
             upstreams: [{ name: b, endpoints: [%s] }]
             routes:
               - name: r
                 match: { path-prefix: / }
                 upstream: b
                 plugins: { request-size-guard: { max-bytes: 10 } }
             """.formatted(backend.address()))) {
      assertThat(gateway.post("/small", "tiny").status()).isEqualTo(200);

      TestResponse large = gateway.post("/large", "far more than ten bytes");
      assertThat(large.status()).isEqualTo(413);
      assertThat(large.json().getString("error")).isEqualTo("request_too_large");
      assertThat(backend.requestCount()).isEqualTo(1);
    }
  }
}
