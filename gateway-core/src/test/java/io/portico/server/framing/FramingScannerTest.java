package io.portico.server.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The framing scanner alone: events over a stream of pipelined requests, however it is split. */
class FramingScannerTest {
  static final String STREAM = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
      + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
      + "\r\nPOST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: 1\r\n\r\n"
      + "GET /d HTTP/1.1\r\nHost: x\r\n\r\n";

  static List<String> events(String stream, int pieceSize) {
    FramingScanner scanner = new FramingScanner(1024, 4096, 20);
    List<String> events = new ArrayList<>();
    byte[] bytes = stream.getBytes(StandardCharsets.US_ASCII);
    for (int start = 0; start < bytes.length; start += pieceSize) {
      ByteBuf piece = Unpooled.wrappedBuffer(bytes, start, Math.min(pieceSize, bytes.length - start));
      int pos = piece.readerIndex();
      while (pos < piece.writerIndex()) {
        pos = scanner.scan(piece, pos, piece.writerIndex());
        switch (scanner.event()) {
          case FramingScanner.HEAD_START -> events.add("start");
          case FramingScanner.HEAD_END -> events.add("head");
          case FramingScanner.MESSAGE_END -> events.add("end");
          case FramingScanner.VIOLATION -> events.add("violation " + scanner.violation().error());
          default -> { }
        }
      }
    }
    return events;
  }

  @Test
  void pipelinedRequestsGiveTheSameEventsHoweverTheyAreSplit() {
    List<String> expected = List.of("start", "end", "start", "head", "end", "start", "head", "end", "start", "end");
    for (int size = 1; size <= STREAM.length(); size++) {
      assertThat(events(STREAM, size)).as("pieces of %d bytes", size).isEqualTo(expected);
    }
  }

  @Test
  void contentLengthWithTransferEncodingIsAViolationWhereverTheSplit() {
    String hostile = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n";
    for (int size = 1; size <= hostile.length(); size++) {
      assertThat(events(hostile, size)).containsExactly("start", "violation bad_framing");
    }
  }

  @Test
  void theHttp2PrefaceStopsTheScanner() {
    FramingScanner scanner = new FramingScanner(1024, 4096, 20);
    ByteBuf preface = Unpooled.copiedBuffer("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", StandardCharsets.US_ASCII);
    int pos = preface.readerIndex();
    int event = FramingScanner.CONSUMED;
    while (pos < preface.writerIndex() && event != FramingScanner.PREFACE) {
      pos = scanner.scan(preface, pos, preface.writerIndex());
      event = scanner.event();
    }
    assertThat(event).isEqualTo(FramingScanner.PREFACE);
  }

  @Test
  void limitsAreEnforced() {
    assertThat(events("GET /" + "a".repeat(1100) + " HTTP/1.1\r\n\r\n", 64)).contains("violation uri_too_long");
    assertThat(events("GET / HTTP/1.1\r\nA: " + "b".repeat(5000) + "\r\n\r\n", 64)).contains("violation headers_too_large");
    StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\n");
    for (int i = 0; i < 21; i++) {
      many.append("H").append(i).append(": v\r\n");
    }
    assertThat(events(many.append("\r\n").toString(), 64)).contains("violation too_many_headers");
  }

  @Test
  void headsLongerThanTheScannersSliceGiveEventsAndViolationsAtTheRightByte() {
    // the scanner walks its input in 2 KiB slices: events and refusals past a slice's end must
    // still land on the byte that caused them
    FramingScanner scanner = new FramingScanner(1024, 16_384, 20);
    String longHead = "GET / HTTP/1.1\r\nAuthorization: Bearer " + "t".repeat(3000) + "\r\n\r\n";
    String next = "GET /next HTTP/1.1\r\nHost: x\r\n\r\n";
    ByteBuf both = Unpooled.copiedBuffer(longHead + next, StandardCharsets.US_ASCII);

    int end = scanner.scan(both, 0, both.writerIndex());
    assertThat(scanner.event()).isEqualTo(FramingScanner.HEAD_START);
    end = scanner.scan(both, end, both.writerIndex());
    assertThat(scanner.event()).isEqualTo(FramingScanner.MESSAGE_END);
    assertThat(end).isEqualTo(longHead.length());
    assertThat(events(longHead + next, 4096)).containsExactly("start", "end", "start", "end");

    String bareLf = "GET / HTTP/1.1\r\nX: " + "v".repeat(3000) + "\nY: z\r\n\r\n";
    assertThat(events(bareLf, bareLf.length())).containsExactly("start", "violation bad_request");
    assertThat(events(bareLf, 700)).containsExactly("start", "violation bad_request");
    String nul = "GET / HTTP/1.1\r\nX: " + "v".repeat(3000) + "\0w\r\n\r\n";
    assertThat(events(nul, 333)).containsExactly("start", "violation bad_request");
    // the limit counts the field lines' bytes without their CR LF: "X: " and the value
    assertThat(events("GET / HTTP/1.1\r\nX: " + "v".repeat(4094) + "\r\n\r\n", 4096))
        .containsExactly("start", "violation headers_too_large");
    assertThat(events("GET / HTTP/1.1\r\nX: " + "v".repeat(4093) + "\r\n\r\n", 4096))
        .containsExactly("start", "end");
  }
}
