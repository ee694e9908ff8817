package io.portico.upstream.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** Frame boundaries and close codes, whatever way the bytes are cut into reads. */
class FrameCursorTest {

  static Buffer frame(int opcode, boolean fin, int payloadLength, boolean masked) {
    Buffer frame = Buffer.buffer();
    frame.appendByte((byte) ((fin ? 0x80 : 0) | opcode));
    int maskBit = masked ? 0x80 : 0;
    if (payloadLength < 126) {
      frame.appendByte((byte) (maskBit | payloadLength));
    } else if (payloadLength < 65_536) {
      frame.appendByte((byte) (maskBit | 126)).appendShort((short) payloadLength);
    } else {
      frame.appendByte((byte) (maskBit | 127)).appendLong(payloadLength);
    }
    if (masked) {
      frame.appendBytes(new byte[] {1, 2, 3, 4});
    }
    return frame.appendBytes(new byte[payloadLength]);
  }

  @Test
  void findsEveryBoundaryWhenBytesComeOneByOne() {
    Buffer stream = Buffer.buffer()
        .appendBuffer(frame(0x2, false, 125, true))
        .appendBuffer(frame(0x0, false, 126, true))
        .appendBuffer(frame(0x9, true, 0, true))
        .appendBuffer(frame(0x0, true, 70_000, true));
    int[] ends = {2 + 4 + 125, 2 + 4 + 125 + 4 + 4 + 126, 2 + 4 + 125 + 4 + 4 + 126 + 6, stream.length()};
    FrameCursor cursor = new FrameCursor();
    int found = 0;
    for (int i = 0; i < stream.length(); i++) {
      cursor.advance(stream.slice(i, i + 1), 0, false);
      if (cursor.atBoundary()) {
        assertThat(i + 1).isEqualTo(ends[found++]);
      }
    }
    assertThat(found).isEqualTo(ends.length);
    assertThat(cursor.closeSeen()).isFalse();
  }

  @Test
  void stopsAtTheEndOfTheFrameInProgress() {
    Buffer stream = Buffer.buffer().appendBuffer(frame(0x2, true, 300, false)).appendBuffer(frame(0x1, true, 10, false));
    FrameCursor cursor = new FrameCursor();
    cursor.advance(stream.slice(0, 100), 0, false);

    int stop = cursor.advance(stream, 100, true);

    assertThat(stop).isEqualTo(4 + 300);
    assertThat(cursor.atBoundary()).isTrue();
  }

  @Test
  void readsTheStatusCodeOfAMaskedCloseFrameSplitAcrossReads() {
    Buffer close = CloseFrames.close(4001, "bye", true);
    FrameCursor cursor = new FrameCursor();
    for (int i = 0; i < close.length(); i++) {
      cursor.advance(close.slice(i, i + 1), 0, false);
    }
    assertThat(cursor.closeSeen()).isTrue();
    assertThat(cursor.closeCode()).isEqualTo(4001);
    assertThat(cursor.atBoundary()).isTrue();

    FrameCursor plain = new FrameCursor();
    plain.advance(CloseFrames.close(1011, "", false), 0, false);
    assertThat(plain.closeCode()).isEqualTo(1011);
    FrameCursor empty = new FrameCursor();
    empty.advance(frame(0x8, true, 0, false), 0, false);
    assertThat(empty.closeCode()).isEqualTo(1005);
  }
}
