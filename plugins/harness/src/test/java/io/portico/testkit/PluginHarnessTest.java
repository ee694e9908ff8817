package io.portico.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portico.spi.BodyTooLargeException;
import io.portico.spi.ConfigErrors;
import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.ExchangeLog;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Reply;
import io.portico.spi.Stage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The harness runs a plugin's phases as the gateway would: on an event loop, waiting for the decision. */
class PluginHarnessTest {
  record Config(long maxBytes) {}

  /** Reads the body up to its limit; counts refusals; records the consumer it saw complete. */
  static final class GuardFactory implements PluginFactory<Config> {
    static final AtomicReference<String> completed = new AtomicReference<>();

    @Override public String name() { return "guard"; }
    @Override public Stage stage() { return Stage.TRAFFIC; }
    @Override public int priority() { return 0; }
    @Override public Class<Config> configType() { return Config.class; }

    @Override
    public void validate(Config config, ConfigErrors errors) {
      if (config.maxBytes() <= 0) {
        errors.add("max-bytes", "must be positive");
      }
    }

    @Override
    public Plugin create(Config config, PluginContext context) {
      var refused = context.meterRegistry().counter("guard_refused", "route", context.routeName());
      return new Plugin() {
        @Override
        public Future<Decision> onRequest(Exchange exchange) {
          if (!Vertx.currentContext().isEventLoopContext() || exchange.context() != Vertx.currentContext()) {
            throw new IllegalStateException("not on the exchange's event loop");
          }
          if (exchange.method() != HttpMethod.POST) {
            return Decision.next().asFuture();
          }
          return exchange.body(config.maxBytes()).map(body -> {
            if (body.toString().contains("forbidden")) {
              refused.increment();
              return Reply.error(422, "forbidden_word", "no");
            }
            exchange.setConsumer(exchange.queryParam("as"));
            return Decision.next();
          });
        }

        @Override
        public Future<Decision> onResponse(Exchange exchange) {
          exchange.responseHeaders().set("x-status", String.valueOf(exchange.status()));
          return Decision.next().asFuture();
        }

        @Override
        public void onComplete(ExchangeLog log) {
          completed.set(log.consumer() + " " + log.status());
        }
      };
    }
  }

  @Test
  void runsEachPhaseOnAnEventLoopAndReturnsItsDecision() {
    try (PluginHarness harness = PluginHarness.create(new GuardFactory(), new Config(16))) {
      assertThat(harness.onRequest(harness.exchange())).isSameAs(Decision.next());

      TestExchange post = harness.exchange().method(HttpMethod.POST).path("/orders?as=alice").body("ok");
      assertThat(harness.onRequest(post)).isSameAs(Decision.next());
      assertThat(post.consumer()).isEqualTo("alice");

      Decision refused = harness.onRequest(harness.exchange().method(HttpMethod.POST).body("forbidden"));
      assertThat(refused).isInstanceOf(Reply.class);
      assertThat(((Reply) refused).status()).isEqualTo(422);
      assertThat(harness.context().count("guard_refused")).isEqualTo(1);

      TestExchange answered = harness.exchange().status(201);
      assertThat(harness.onResponse(answered)).isSameAs(Decision.next());
      assertThat(answered.responseHeaders().get("x-status")).isEqualTo("201");

      harness.onComplete(post, 200);
      assertThat(GuardFactory.completed.get()).isEqualTo("alice 200");
    }
  }

  @Test
  void aFailedPhaseThrowsWithItsCause() {
    try (PluginHarness harness = PluginHarness.create(new GuardFactory(), new Config(4))) {
      assertThatThrownBy(() -> harness.onRequest(harness.exchange().method(HttpMethod.POST).body("too long")))
          .isInstanceOf(PluginHarness.PhaseFailed.class)
          .hasCauseInstanceOf(BodyTooLargeException.class);
    }
  }

  @Test
  void validateCollectsTheFactorysErrors() {
    assertThat(PluginHarness.validate(new GuardFactory(), new Config(0))).containsExactly("max-bytes: must be positive");
    assertThat(PluginHarness.validate(new GuardFactory(), new Config(1))).isEmpty();
  }

  @Test
  void anExchangeParsesItsQueryAndKeepsWhatThePluginWrote() {
    TestExchange exchange = new TestExchange().path("/a/b?x=1&y=2").query("z", "3").header("X-A", "1");
    assertThat(exchange.path()).isEqualTo("/a/b");
    assertThat(exchange.query()).isEqualTo("x=1&y=2&z=3");
    assertThat(exchange.queryParam("y")).isEqualTo("2");
    assertThat(exchange.queryParam("z")).isEqualTo("3");
    assertThat(exchange.requestHeaders().get("x-a")).isEqualTo("1");
    exchange.setUpstreamPath("/b");
    assertThat(exchange.upstreamPath()).isEqualTo("/b");
    assertThat(List.of(exchange.method(), exchange.clientIp())).containsExactly(HttpMethod.GET, "127.0.0.1");
  }
}
