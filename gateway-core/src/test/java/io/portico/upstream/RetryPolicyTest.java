package io.portico.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portico.config.RetryConfig;
import io.portico.spi.UpstreamFailure;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  RetryPolicy policy(RetryConfig config) {
    return new RetryPolicy("r", config, 30_000, 2, registry);
  }

  @Test
  void retriesOnlyTheListedOutcomes() {
    RetryPolicy policy = policy(new RetryConfig(3, List.of("connect-failure", "503"), null, Duration.ofSeconds(2), null));

    assertThat(policy.retriesOn(UpstreamFailure.Kind.CONNECT_FAILURE)).isTrue();
    assertThat(policy.retriesOn(UpstreamFailure.Kind.RESET)).isFalse();
    assertThat(policy.retriesOn(UpstreamFailure.Kind.CANCELLED)).isFalse();
    assertThat(policy.retriesOn(503)).isTrue();
    assertThat(policy.retriesOn(500)).isFalse();
    assertThat(policy.perTryTimeoutMillis()).isEqualTo(2000);
  }

  @Test
  void nonIdempotentMethodsNeedTheRouteToOptIn() {
    RetryPolicy safe = policy(new RetryConfig(2, null, null, null, null));
    RetryPolicy opted = policy(new RetryConfig(2, null, null, null, true));

    assertThat(safe.allows(HttpMethod.GET)).isTrue();
    assertThat(safe.allows(HttpMethod.PUT)).isTrue();
    assertThat(safe.allows(HttpMethod.POST)).isFalse();
    assertThat(safe.allows(HttpMethod.PATCH)).isFalse();
    assertThat(opted.allows(HttpMethod.POST)).isTrue();
    assertThat(policy(new RetryConfig(1, null, null, null, true)).allows(HttpMethod.GET)).as("one attempt: no retry").isFalse();
    assertThat(safe.perTryTimeoutMillis()).as("the route timeout by default").isEqualTo(30_000);
  }

  @Test
  void theBudgetBoundsRetriesInFlightToAShareOfRequestsInFlight() {
    RetryPolicy policy = policy(new RetryConfig(2, null, 20, null, null));
    for (int i = 0; i < 100; i++) {
      policy.exchangeStarted(0);
    }
    int taken = 0;
    while (policy.takeRetry(0)) {
      taken++;
    }
    assertThat(taken).isEqualTo(20);
    assertThat(registry.get("portico.upstream.retry.budget.exhausted").counter().count()).isEqualTo(1.0);
    policy.retryEnded(0);
    assertThat(policy.takeRetry(0)).isTrue();
    assertThat(policy.takeRetry(1)).as("each loop has its own budget").isTrue();
    assertThat(registry.get("portico.upstream.retries").counter().count()).isEqualTo(22.0);
  }

  @Test
  void aQuietRouteMayStillRetryAFew() {
    RetryPolicy policy = policy(new RetryConfig(2, null, 20, null, null));
    policy.exchangeStarted(0);
    int taken = 0;
    while (policy.takeRetry(0)) {
      taken++;
    }
    assertThat(taken).isEqualTo(RetryPolicy.MIN_CONCURRENT_RETRIES);
  }
}
