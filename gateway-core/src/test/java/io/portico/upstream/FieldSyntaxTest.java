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

  /** {@code text} as an AsciiString that starts part way into its array, as decoded heads do. */
  private static AsciiString slice(String text) {
    byte[] bytes = ("##" + text + "##").getBytes(StandardCharsets.ISO_8859_1);
    return new AsciiString(bytes, 2, text.length(), false);
  }
}
