package io.portico.plugins.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The spelling rules of a compact JWS, one by one. */
class CanonicalJwsTest {
  // {"alg":"RS256"} . {} . four signature bytes 0xfb 0xff 0xbf 0x00: "-_-_AA" (6 characters, 4 unused bits)
  private static final String GOOD = "eyJhbGciOiJSUzI1NiJ9.e30.-_-_AA";

  @Test
  void canonicalFormsPass() {
    assertThat(CanonicalJws.problem(GOOD)).isNull();
    assertThat(CanonicalJws.problem("eyJhbGciOiJSUzI1NiJ9.e30.")).isNull(); // empty signature: refused later, by algorithm
    assertThat(CanonicalJws.problem("eyJhbGciOiJSUzI1NiJ9.e30.AAAA")).isNull();
    assertThat(CanonicalJws.problem("eyJhbGciOiJSUzI1NiJ9.e30.AAE")).isNull(); // 3 characters, 2 unused bits zero
  }

  @Test
  void paddingIsRefused() {
    assertThat(CanonicalJws.problem(GOOD + "==")).isEqualTo("padded base64url");
    assertThat(CanonicalJws.problem("eyJhbGciOiJSUzI1NiJ9.e30=.-_-_AA")).isEqualTo("padded base64url");
    assertThat(CanonicalJws.problem("eyJhbGciOiJSUzI1NiJ9.e3=0.-_-_AA")).isEqualTo("padded base64url");
  }

  @Test
  void nonZeroTrailingBitsAreRefused() {
    // "AB" and "AA" decode to the same byte with a lenient decoder
    assertThat(CanonicalJws.problem("eyJhbGciOiJSUzI1NiJ9.e30.-_-_AB")).isEqualTo("non-zero trailing bits in base64url");
    assertThat(CanonicalJws.problem("eyJhbGciOiJSUzI1NiJ9.e30.AAF")).isEqualTo("non-zero trailing bits in base64url");
    assertThat(CanonicalJws.problem("eyJhbGciOiJSUzI1NiJ9.e31.AAAA")).isEqualTo("non-zero trailing bits in base64url");
  }

  @Test
  void charactersOutsideTheAlphabetAreRefused() {
    for (String bad : new String[] {"+", "/", " ", "%2B", "*", "\u00e9", "\t", "\\"}) {
      assertThat(CanonicalJws.problem("eyJhbGciOiJSUzI1NiJ9.e30.-_" + bad + "_AA")).as("[%s]", bad)
          .isEqualTo("character outside the base64url alphabet");
    }
  }

  @Test
  void otherShapesAreRefused() {
    assertThat(CanonicalJws.problem("eyJhbGciOiJSUzI1NiJ9.e30")).isEqualTo("not a compact JWS");
    assertThat(CanonicalJws.problem("eyJhbGciOiJSUzI1NiJ9.e30.AAAA.AAAA.AAAA")).isEqualTo("not a compact JWS"); // a JWE
    assertThat(CanonicalJws.problem(".e30.AAAA")).isEqualTo("empty header or payload");
    assertThat(CanonicalJws.problem("eyJhbGciOiJSUzI1NiJ9..AAAA")).isEqualTo("empty header or payload");
    assertThat(CanonicalJws.problem("eyJhbGciOiJSUzI1NiJ9.e30.AAAAA")).isEqualTo("base64url part of impossible length");
  }
}
