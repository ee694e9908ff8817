package io.portico.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.route.CookieHeader;
import io.portico.testkit.TestExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HashKeyTest {

  @ParameterizedTest
  @ValueSource(strings = {"header:X-User", "cookie:session", "query:tenant", "client-ip", "path", "header:x_b.c~1"})
  void wellFormedKeysParse(String spec) {
    assertThat(HashKey.parse(spec)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "header", "header:", "cookie:a b", "query:a=b", "body:x", "client-ip:x", "Path", ":x", "header:é"})
  void malformedKeysDoNot(String spec) {
    assertThat(HashKey.parse(spec)).isNull();
  }

  @Test
  void aCookieIsFoundByItsExactNameAnywhereInTheHeader() {
    String header = "xsession=1; session_id=2;session=abc ; last=\"q\"";

    int start = CookieHeader.valueStart(header, "session");

    assertThat(header.substring(start, CookieHeader.valueEnd(header, start))).isEqualTo("abc");
    assertThat(CookieHeader.valueStart(header, "Session")).isNegative();
    assertThat(CookieHeader.valueStart(header, "sess")).isNegative();
    assertThat(CookieHeader.valueStart("session", "session")).isNegative();
    int last = CookieHeader.valueStart(header, "last");
    assertThat(header.substring(last, CookieHeader.valueEnd(header, last))).isEqualTo("\"q\"");
  }

  @Test
  void aCookieHashesLikeTheSameValueElsewhere() {
    HashKey cookie = HashKey.parse("cookie:session");
    long plain = cookie.hash(new TestExchange().header("Cookie", "session=abc"));

    assertThat(plain).isEqualTo(HashKey.hashOf("abc"));
    assertThat(cookie.hash(new TestExchange().header("Cookie", "a=1;  session=abc  ;b=2"))).isEqualTo(plain);
    assertThat(cookie.hash(new TestExchange().header("Cookie", "session=\"abc\""))).isEqualTo(plain);
    assertThat(cookie.hash(new TestExchange().header("Cookie", "a=1").header("Cookie", "session=abc")))
        .as("a second Cookie header, as HTTP/2 clients send").isEqualTo(plain);
    assertThat(cookie.hash(new TestExchange().header("Cookie", "session=abd"))).isNotEqualTo(plain);
    assertThat(cookie.hash(new TestExchange().header("Cookie", "session="))).isEqualTo(HashKey.NONE);
  }

  @Test
  void emptyValuesCountAsMissing() {
    assertThat(HashKey.parse("header:X-User").hash(new TestExchange().header("X-User", ""))).isEqualTo(HashKey.NONE);
    assertThat(HashKey.parse("query:t").hash(new TestExchange())).isEqualTo(HashKey.NONE);
    assertThat(HashKey.parse("client-ip").hash(new TestExchange().clientIp(null))).isEqualTo(HashKey.NONE);
  }

  @Test
  void hashesOfNearbyKeysDifferInAboutHalfTheirBits() {
    long total = 0;
    for (int k = 0; k < 1_000; k++) {
      total += Long.bitCount(Hash64.of("user-" + k) ^ Hash64.of("user-" + (k + 1)));
    }

    assertThat(total / 1_000.0).isBetween(30.0, 34.0);
  }
}
