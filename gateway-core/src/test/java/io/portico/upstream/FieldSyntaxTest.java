package io.portico.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The same verdicts whatever kind of text a header holds: String, AsciiString (also a slice of a larger array), other. */
class FieldSyntaxTest {
  @Test
  void tokensAreJudgedAlikeInEveryRepresentation() {
    for (String name : new String[] {"x-request-id", "Content-Type", "a!#$%&'*+-.^_`|~9"}) {
      assertThat(FieldSyntax.isToken(name)).as(name).isTrue();
      assertThat(FieldSyntax.isToken(slice(name))).as(name).isTrue();
      assertThat(FieldSyntax.isToken(new StringBuilder(name))).as(name).isTrue();
    }
    for (String name : new String[] {"", "a b", "a:b", "caf\u00e9", "x\r\ny", "(x)"}) {
      assertThat(FieldSyntax.isToken(name)).as(name).isFalse();
      assertThat(FieldSyntax.isToken(slice(name))).as(name).isFalse();
      assertThat(FieldSyntax.isToken(new StringBuilder(name))).as(name).isFalse();
    }
  }

  @Test
  void lineBreaksAndNulAreFoundInEveryRepresentation() {
    for (String value : new String[] {"a\rb", "a\nb", "a\u0000b", "\r", "ok\n"}) {
      assertThat(FieldSyntax.hasLineBreakOrNul(value)).as(value).isTrue();
      assertThat(FieldSyntax.hasLineBreakOrNul(slice(value))).as(value).isTrue();
      assertThat(FieldSyntax.hasLineBreakOrNul(new StringBuilder(value))).as(value).isTrue();
    }
    for (String value : new String[] {"", "text/plain; charset=utf-8", "tab\there", "\u000b\u000c\u00ff"}) {
      assertThat(FieldSyntax.hasLineBreakOrNul(value)).as(value).isFalse();
      assertThat(FieldSyntax.hasLineBreakOrNul(slice(value))).as(value).isFalse();
      assertThat(FieldSyntax.hasLineBreakOrNul(new StringBuilder(value))).as(value).isFalse();
    }
  }

  @Test
  void longValuesAreJudgedAsShortOnesAre() {
    String token = "Bearer " + "abcdefghij".repeat(70);
    assertThat(FieldSyntax.hasLineBreakOrNul(token)).isFalse();
    assertThat(FieldSyntax.hasLineBreakOrNul(slice(token))).isFalse();
    for (String bad : new String[] {"\r", "\n", "\u0000"}) {
      for (int at : new int[] {0, 63, 64, 350, token.length() - 1}) {
        String value = token.substring(0, at) + bad + token.substring(at + 1);
        assertThat(FieldSyntax.hasLineBreakOrNul(value)).as("at %d", at).isTrue();
        assertThat(FieldSyntax.hasLineBreakOrNul(slice(value))).as("at %d", at).isTrue();
      }
    }
  }

  @Test
  void aSliceIsJudgedByItsOwnBytesNotItsNeighbours() {
    byte[] bytes = "\r\nname\r\n".getBytes(StandardCharsets.ISO_8859_1);
    AsciiString name = new AsciiString(bytes, 2, 4, false);
    assertThat(FieldSyntax.isToken(name)).isTrue();
    assertThat(FieldSyntax.hasLineBreakOrNul(name)).isFalse();
  }

  @Test
  void firstUnsafeNamesTheHeaderThatWouldSplitALine() {
    HttpHeaders headers = new DefaultHttpHeaders(false);
    headers.add(AsciiString.of("accept"), "*/*");
    headers.add("x-note", slice("one\r\nInjected: two"));
    assertThat(FieldSyntax.firstUnsafe(headers)).isEqualTo("x-note");
    headers.remove("x-note");
    assertThat(FieldSyntax.firstUnsafe(headers)).isNull();
  }

  @Test
  void theWordScanFindsWhatAByteByByteScanFinds() {
    // every byte value at every position of runs of up to three words, from every alignment: the
    // tab and the bytes 0x8A / 0x8D (LF and CR with the high bit set) are the near misses
    for (int length = 0; length <= 24; length++) {
      for (int from = 0; from < 8; from++) {
        for (int at = 0; at < length; at++) {
          for (int value = 0; value < 256; value++) {
            byte[] bytes = new byte[from + length + 8];
            java.util.Arrays.fill(bytes, (byte) 'a');
            bytes[from + at] = (byte) value;
            int to = from + length;
            assertThat(FieldSyntax.firstLineBreakOrNul(bytes, from, to))
                .as("byte 0x%02X at %d of %d from %d", value, at, length, from)
                .isEqualTo(byteByByte(bytes, from, to));
          }
        }
      }
    }
  }

  @Test
  void theWordScanStopsAtItsEndNotAtABreakBeyondIt() {
    byte[] bytes = "0123456789abcdef\r\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(FieldSyntax.firstLineBreakOrNul(bytes, 0, 16)).isEqualTo(16);
    assertThat(FieldSyntax.firstLineBreakOrNul(bytes, 3, 17)).isEqualTo(16);
    assertThat(FieldSyntax.firstLineBreakOrNul(bytes, 5, 5)).isEqualTo(5);
  }

  private static int byteByByte(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\r' || bytes[i] == '\n' || bytes[i] == 0) {
        return i;
      }
    }
    return to;
  }

  /** {@code text} as an AsciiString that starts part way into its array, as decoded heads do. */
  private static AsciiString slice(String text) {
    byte[] bytes = ("##" + text + "##").getBytes(StandardCharsets.ISO_8859_1);
    return new AsciiString(bytes, 2, text.length(), false);
  }
}
