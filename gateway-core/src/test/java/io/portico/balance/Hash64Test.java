package io.portico.balance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Pins the hash to known values: replicas running different versions must map a key to the same
 * endpoint, so a change of the function (or of its constants) is a compatibility break, not a
 * refactoring. The empty input gives xxHash64's value for no bytes with seed 0.
 */
class Hash64Test {
  @Test
  void knownValues() {
    assertThat(Hash64.of("")).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(Hash64.of("a")).isEqualTo(0xDEC2BC81C3CD46C6L);
    assertThat(Hash64.of("abcd")).isEqualTo(0xAD9338B32CDA24C1L); // one full lane
    assertThat(Hash64.of("user-42")).isEqualTo(0xB3C2759DFD2F3A32L); // a lane and a tail
    assertThat(Hash64.of("session=7f3a9c")).isEqualTo(0x7C4916473B1BBC06L);
  }

  @Test
  void aRangeHashesLikeTheStringItHolds() {
    assertThat(Hash64.of("xxuser-42yy", 2, 9)).isEqualTo(Hash64.of("user-42"));
  }

  @Test
  void knownRingPoints() {
    assertThat(Hash64.mix(1L, 0L)).isEqualTo(0xD5AF874382771C0AL);
    assertThat(Hash64.mix(0x1234L, 7L)).isEqualTo(0xACFABA96792749C4L);
  }
}
