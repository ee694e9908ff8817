package io.portico.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portico.testkit.TestExchange;
import org.junit.jupiter.api.Test;

class RequestKeyTest {

  private static String key(String spec, TestExchange exchange) {
    return RequestKey.parse(spec).of(exchange);
  }

  private static TestExchange exchange() {
    return new TestExchange(null);
  }

  @Test
  void eachPartReadsItsSource() {
    TestExchange exchange = exchange().clientIp("10.1.2.3").consumer("alice").header("X-Tenant", "acme");
    assertThat(key("route", exchange)).isEqualTo("route");
    assertThat(key("client-ip", exchange)).isEqualTo("10.1.2.3");
    assertThat(key("consumer", exchange)).isEqualTo("alice");
    assertThat(key("jwt:sub", exchange)).isEqualTo("alice");
    assertThat(key("header:x-tenant", exchange)).isEqualTo("acme");
  }

  @Test
  void aClaimIsReadFromItsHeaderOnlyForAnAuthenticatedCaller() {
    assertThat(key("jwt:tier", exchange().consumer("alice").header("X-Jwt-tier", "gold"))).isEqualTo("gold");
    // without an authentication plugin the header is whatever the client sent
    assertThat(key("jwt:tier", exchange().header("X-Jwt-tier", "gold"))).isEqualTo(RequestKey.ANONYMOUS);
  }

  @Test
  void missingValuesShareTheAnonymousBucket() {
    assertThat(key("consumer", exchange())).isEqualTo(RequestKey.ANONYMOUS);
    assertThat(key("header:X-Tenant", exchange().header("X-Tenant", ""))).isEqualTo(RequestKey.ANONYMOUS);
  }

  @Test
  void combinedPartsCannotBeForgedIntoAnotherCombination() {
    String spec = "header:A, header:B";
    String one = key(spec, exchange().header("A", "x|y").header("B", "z"));
    String other = key(spec, exchange().header("A", "x").header("B", "y|z"));
    assertThat(one).isNotEqualTo(other);
    assertThat(key("consumer, client-ip", exchange().consumer("alice").clientIp("10.0.0.1"))).isEqualTo("5:alice8:10.0.0.1");
  }

  @Test
  void longValuesAreHashedSoKeysStaySmall() {
    String huge = "v".repeat(8192);
    String key = key("header:X-Id", exchange().header("X-Id", huge));
    assertThat(key).hasSizeLessThan(RequestKey.MAX_VALUE_LENGTH).startsWith("#");
    assertThat(key("header:X-Id", exchange().header("X-Id", huge + "w"))).isNotEqualTo(key);
  }

  @Test
  void unknownPartsAreRefusedByName() {
    assertThatThrownBy(() -> RequestKey.parse("client-ip, cookie:session"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"cookie:session\"");
    assertThatThrownBy(() -> RequestKey.parse("header:")).isInstanceOf(IllegalArgumentException.class);
  }
}
