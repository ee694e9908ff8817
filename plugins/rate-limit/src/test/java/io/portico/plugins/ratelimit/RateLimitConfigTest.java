package io.portico.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import io.portico.plugins.ratelimit.RateLimitConfig.Limit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitConfigTest {

  private static List<String> errors(RateLimitConfig config) {
    List<String> errors = new ArrayList<>();
    new RateLimitPluginFactory().validate(config, (field, message) -> errors.add(field + ": " + message));
    return errors;
  }

  @Test
  void defaultsAreAnEnforcedLocalRouteLimitWithHeaders() {
    RateLimitConfig config = Configs.limit(10, Duration.ofSeconds(1)).build();
    assertThat(config.key()).isEqualTo("route");
    assertThat(config.headers()).isTrue();
    assertThat(config.mode()).isEqualTo(RateLimitConfig.Mode.ENFORCE);
    assertThat(config.store()).isEqualTo(RateLimitConfig.Store.LOCAL);
    assertThat(config.onStoreFailure()).isEqualTo(RateLimitConfig.OnStoreFailure.LOCAL);
    assertThat(config.localShare()).isEqualTo(1.0);
    assertThat(config.maxKeys()).isEqualTo(100_000);
    assertThat(new RateLimitConfig.Redis("redis://h:6379", null, null, null).timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(errors(config)).isEmpty();
  }

  @Test
  void eachProblemIsNamedByItsField() {
    assertThat(errors(new Configs().limits().key("cookie:x").localShare(0).maxKeys(0).build())).satisfiesExactlyInAnyOrder(
        e -> assertThat(e).startsWith("key: unknown key part \"cookie:x\""),
        e -> assertThat(e).startsWith("limits: give at least one limit"),
        e -> assertThat(e).startsWith("local-share: "),
        e -> assertThat(e).startsWith("max-keys: "));
    assertThat(errors(Configs.limit(10_000_000_000L, Duration.ofMillis(1)).build()))
        .singleElement().asString().startsWith("limits: not a usable limit");
    assertThat(errors(Configs.limit(1, Duration.ofSeconds(1)).override("gold").build()))
        .singleElement().asString().startsWith("overrides.gold: give at least one limit");
  }

  @Test
  void redisSettingsAreChecked() {
    assertThat(errors(Configs.limit(1, Duration.ofSeconds(1)).redis(null, null).build()))
        .singleElement().asString().startsWith("redis.uri: is required");
    assertThat(errors(Configs.limit(1, Duration.ofSeconds(1)).redis("http://h:6379", null).build()))
        .singleElement().asString().startsWith("redis.uri: must start with redis://");
    assertThat(errors(Configs.limit(1, Duration.ofSeconds(1)).redis("redis://h:6379", Duration.ZERO).build()))
        .singleElement().asString().startsWith("redis.timeout: ");
    RateLimitConfig.Redis settings = new RateLimitConfig.Redis("redis://h:6379", null, null, null);
    assertThat(errors(new RateLimitConfig("route", List.of(new Limit(1L, Duration.ofSeconds(1), null)), null, null, null,
        RateLimitConfig.Store.LOCAL, settings, null, null, null)))
        .singleElement().asString().isEqualTo("redis: is only used with store: redis");
  }

  @Test
  void limitsRefuseNonsenseAtBindTime() {
    assertThatThrownBy(() -> new Limit(0L, Duration.ofSeconds(1), null)).hasMessageContaining("capacity");
    assertThatThrownBy(() -> new Limit(1L, Duration.ZERO, null)).hasMessageContaining("per");
  }

  @Test
  void tlsAndThePasswordFromTheEnvironmentReachTheRedisUri() {
    RedisURI uri = RedisAddress.uri(new RateLimitConfig.Redis("redis://cache:6380/2", "PW", true, Duration.ofMillis(100)),
        name -> name.equals("PW") ? "secret" : null);
    assertThat(uri.isSsl()).isTrue();
    assertThat(uri.isVerifyPeer()).isTrue();
    assertThat(uri.getDatabase()).isEqualTo(2);
    assertThat(uri.getTimeout()).isEqualTo(Duration.ofMillis(100));
    assertThat(uri.getCredentialsProvider().resolveCredentials().block().getPassword()).containsExactly("secret".toCharArray());
    assertThat(RedisAddress.display(uri)).isEqualTo("rediss://cache:6380/2");
    assertThat(RedisAddress.uri(new RateLimitConfig.Redis("rediss://cache:6380", null, null, null), name -> null).isSsl()).isTrue();
  }
}
