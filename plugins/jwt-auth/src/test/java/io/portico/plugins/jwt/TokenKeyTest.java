package io.portico.plugins.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenKeyTest {
  @Test
  void keysOfTheSameTextAreEqualWhateverStringHoldsIt() {
    String text = "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU";
    TokenKey a = new TokenKey(text);
    TokenKey b = new TokenKey(new String(text.toCharArray()));
    assertThat(a).isEqualTo(b);
    assertThat(a.hashCode()).isEqualTo(b.hashCode());
  }

  @Test
  void textsThatShareTheHashedTailAreStillDifferentKeys() {
    String tail = "x".repeat(TokenKey.HASHED);
    TokenKey a = new TokenKey("header.claims-a." + tail);
    TokenKey b = new TokenKey("header.claims-b." + tail);
    assertThat(a.hashCode()).isEqualTo(b.hashCode());
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void theTailSpreadsKeysAndShortTextsAreHashedWhole() {
    assertThat(new TokenKey("a.b.signature-1")).isNotEqualTo(new TokenKey("a.b.signature-2"));
    assertThat(new TokenKey("a.b.signature-1").hashCode()).isNotEqualTo(new TokenKey("a.b.signature-2").hashCode());
    assertThat(new TokenKey("")).isEqualTo(new TokenKey(""));
  }

  @Test
  void itsTextNeverShowsInLogs() {
    assertThat(new TokenKey("secret.token.value")).hasToString("TokenKey(18 chars)");
  }
}
