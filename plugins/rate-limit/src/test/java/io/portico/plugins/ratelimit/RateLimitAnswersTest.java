package io.portico.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.plugins.ratelimit.RateLimitConfig.Limit;
import io.portico.plugins.ratelimit.RateLimitConfig.Refill;
import io.portico.spi.Decision;
import io.portico.spi.Plugin;
import io.portico.spi.Reply;
import io.portico.testkit.PluginHarness;
import io.portico.testkit.TestExchange;
import io.portico.testkit.TestPluginContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What clients see, decided through the SPI: headers, 429s, overrides, bandwidths, shadow mode. */
class RateLimitAnswersTest {
  private final Vertx vertx = Vertx.vertx();
  private final Context loop = vertx.getOrCreateContext();
  private final TestPluginContext context = new TestPluginContext(vertx).routeName("r");

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private Plugin plugin(Configs configs) {
    return new RateLimitPluginFactory().create(configs.build(), context);
  }

  private Decision decide(Plugin plugin, TestExchange exchange) {
    return PluginHarness.of(plugin, context).onRequest(exchange);
  }

  @Test
  void allowedAnswersCountDownAndTheRejectionSaysWhenToComeBack() {
    Plugin plugin = plugin(Configs.limit(3, Duration.ofMinutes(1)));
    for (int i = 0; i < 3; i++) {
      TestExchange allowed = new TestExchange(loop);
      assertThat(decide(plugin, allowed)).isSameAs(Decision.next());
      assertThat(allowed.additionalResponseHeaders().get("RateLimit-Limit")).isEqualTo("3");
      assertThat(allowed.additionalResponseHeaders().get("RateLimit-Remaining")).isEqualTo(String.valueOf(2 - i));
      // greedy refill: one token every 20 s, full again 20 s per missing token from now
      assertThat(Long.parseLong(allowed.additionalResponseHeaders().get("RateLimit-Reset"))).isBetween(20L * (i + 1) - 1, 20L * (i + 1));
    }
    TestExchange rejected = new TestExchange(loop);
    Decision decision = decide(plugin, rejected);

    assertThat(decision).isInstanceOf(Reply.class);
    Reply reply = (Reply) decision;
    assertThat(reply.status()).isEqualTo(429);
    assertThat(reply.error()).isEqualTo("rate_limited");
    assertThat(rejected.additionalResponseHeaders().get("Retry-After")).isEqualTo("20"); // 19.99… s, rounded up
    assertThat(rejected.additionalResponseHeaders().get("RateLimit-Limit")).isEqualTo("3");
    assertThat(rejected.additionalResponseHeaders().get("RateLimit-Remaining")).isEqualTo("0");
    assertThat(rejected.additionalResponseHeaders().get("RateLimit-Reset")).isEqualTo("60");
    assertThat(context.count("portico.ratelimit.allowed")).isEqualTo(3);
    assertThat(context.count("portico.ratelimit.rejected")).isEqualTo(1);
  }

  @Test
  void intervalRefillGivesEverythingBackAtTheEndOfThePeriod() {
    Plugin plugin = plugin(new Configs().limits(new Limit(2L, Duration.ofSeconds(30), Refill.INTERVAL)));
    decide(plugin, new TestExchange(loop));
    decide(plugin, new TestExchange(loop));
    TestExchange rejected = new TestExchange(loop);

    assertThat(decide(plugin, rejected)).isInstanceOf(Reply.class);
    assertThat(rejected.additionalResponseHeaders().get("Retry-After")).isEqualTo("30");
  }

  @Test
  void everyBandwidthAppliesAtOnce() {
    Plugin plugin = plugin(new Configs().limits(new Limit(5L, Duration.ofMinutes(1), null), new Limit(2L, Duration.ofHours(1), null)));
    assertThat(decide(plugin, new TestExchange(loop))).isSameAs(Decision.next());
    assertThat(decide(plugin, new TestExchange(loop))).isSameAs(Decision.next());
    TestExchange rejected = new TestExchange(loop);

    assertThat(decide(plugin, rejected)).isInstanceOf(Reply.class); // the hourly limit, though the first allows 5
    assertThat(Long.parseLong(rejected.additionalResponseHeaders().get("Retry-After"))).isBetween(1799L, 1800L);
  }

  @Test
  void withoutHeadersOnlyTheRejectionCarriesRetryAfter() {
    Plugin plugin = plugin(Configs.limit(1, Duration.ofMinutes(1)).headers(false));
    TestExchange allowed = new TestExchange(loop);
    decide(plugin, allowed);
    TestExchange rejected = new TestExchange(loop);
    decide(plugin, rejected);

    assertThat(allowed.additionalResponseHeaders().isEmpty()).isTrue();
    assertThat(rejected.additionalResponseHeaders().names()).containsExactly("Retry-After");
  }

  @Test
  void aConsumerWithAnOverrideHasItsOwnBucketAtItsOwnLimit() {
    Plugin plugin = plugin(Configs.limit(2, Duration.ofMinutes(1)).override("gold", new Limit(5L, Duration.ofMinutes(1), null)));
    decide(plugin, new TestExchange(loop).consumer("alice"));
    decide(plugin, new TestExchange(loop));
    assertThat(decide(plugin, new TestExchange(loop).consumer("bob"))).isInstanceOf(Reply.class); // the route's bucket is empty

    for (int i = 0; i < 5; i++) {
      TestExchange gold = new TestExchange(loop).consumer("gold");
      assertThat(decide(plugin, gold)).isSameAs(Decision.next());
      assertThat(gold.additionalResponseHeaders().get("RateLimit-Limit")).isEqualTo("5");
    }
    assertThat(decide(plugin, new TestExchange(loop).consumer("gold"))).isInstanceOf(Reply.class);
  }

  @Test
  void clientsAndMissingKeysGetTheirBuckets() {
    Plugin plugin = plugin(Configs.limit(1, Duration.ofMinutes(1)).key("header:X-Tenant"));
    assertThat(decide(plugin, new TestExchange(loop).header("X-Tenant", "acme"))).isSameAs(Decision.next());
    assertThat(decide(plugin, new TestExchange(loop).header("X-Tenant", "acme"))).isInstanceOf(Reply.class);
    assertThat(decide(plugin, new TestExchange(loop).header("X-Tenant", "globex"))).isSameAs(Decision.next());
    // no header: one shared anonymous bucket, so leaving the header out does not escape the limit
    assertThat(decide(plugin, new TestExchange(loop))).isSameAs(Decision.next());
    assertThat(decide(plugin, new TestExchange(loop).clientIp("10.0.0.9"))).isInstanceOf(Reply.class);
  }

  @Test
  void shadowModeRejectsNothingSendsNoHeadersAndCountsWhatItWouldHaveRejected() {
    Plugin plugin = plugin(Configs.limit(2, Duration.ofMinutes(1)).shadow());
    for (int i = 0; i < 5; i++) {
      TestExchange exchange = new TestExchange(loop);
      assertThat(decide(plugin, exchange)).isSameAs(Decision.next());
      assertThat(exchange.additionalResponseHeaders().isEmpty()).isTrue();
    }
    assertThat(context.count("portico.ratelimit.allowed")).isEqualTo(2);
    assertThat(context.count("portico.ratelimit.shadow.rejected")).isEqualTo(3);
    assertThat(context.count("portico.ratelimit.rejected")).isZero();
  }
}
