package io.portico.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdsTest {
  @Test
  void newIdsAreTheProcessPrefixTheLoopAndACounterInBase36() {
    RequestIds ids = new RequestIds(37);
    String first = ids.next();
    assertThat(first).matches("[0-9a-z]{8}-11-0");
    String prefix = first.substring(0, first.length() - 1);
    for (long n = 1; n < 50_000; n++) {
      String id = ids.next();
      assertThat(id).isEqualTo(prefix + Long.toString(n, 36));
      assertThat(RequestIds.isSane(id)).isTrue();
    }
  }

  @Test
  void aSaneIncomingIdIsKeptAnInsaneOneReplaced() {
    RequestIds ids = new RequestIds(0);
    assertThat(ids.resolve("abc-123_x.y")).isEqualTo("abc-123_x.y");
    assertThat(ids.resolve("bad id")).matches("[0-9a-z]{8}-0-0");
    assertThat(ids.resolve(null)).matches("[0-9a-z]{8}-0-1");
  }
}
