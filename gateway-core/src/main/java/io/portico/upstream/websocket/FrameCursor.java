package io.portico.upstream.websocket;

import io.vertx.core.buffer.Buffer;

/**
 * Follows the frame boundaries of one direction of a WebSocket connection (RFC 6455 §5.2) without
 * holding any payload: it reads each frame header (2 to 14 bytes) and skips the payload by count.
 * The tunnel uses it to write a close frame of its own only between two frames, and to learn the
 * status code of the first close frame that went through. Confined to the tunnel's event loop.
 */
final class FrameCursor {
  private static final int OPCODE_CLOSE = 0x8;

  /** Header bytes of the frame being read, while {@code headerLength} is not yet known or reached. */
  private final byte[] header = new byte[14];
  private int headerRead;
  private int headerLength = 2;
  private long payloadLeft;
  /** Close frame payload bytes still to read for its status code (0..2). */
  private int closeCodeLeft;
  private int closeCode = -1;
  private int closeCodeValue;
  private int maskIndex;
  private boolean closeSeen;

  /** Whether the bytes read so far end exactly at the end of a frame. */
  boolean atBoundary() {
    return headerRead == 0 && payloadLeft == 0;
  }

  /** Whether a close frame went through (its header was read). */
  boolean closeSeen() {
    return closeSeen;
  }

  /** The status code of the first close frame, 1005 (none given) when it had none, -1 before one. */
  int closeCode() {
    return closeCode;
  }

  /**
   * Reads {@code buffer} from {@code from}, up to its end or, when {@code stopAtBoundary}, up to the
   * first frame boundary after {@code from}.
   *
   * @return the index where reading stopped: the buffer's length, or the index just past the end of
   *     the frame that ended first
   */
  int advance(Buffer buffer, int from, boolean stopAtBoundary) {
    int end = buffer.length();
    int at = from;
    while (at < end) {
      if (payloadLeft == 0 && headerRead < headerLength) {
        header[headerRead++] = buffer.getByte(at++);
        if (headerRead == 2) {
          headerLength = 2 + lengthBytes(header[1]) + ((header[1] & 0x80) != 0 ? 4 : 0);
        }
        if (headerRead == headerLength) {
          headerDone();
          if (payloadLeft == 0 && stopAtBoundary) {
            return at;
          }
        }
        continue;
      }
      long take = Math.min(payloadLeft, end - at);
      if (closeCodeLeft > 0) {
        take = 1; // the status code of a close frame is read byte by byte, unmasked
        readCloseCodeByte(buffer.getByte(at));
      }
      at += (int) take;
      payloadLeft -= take;
      if (payloadLeft == 0 && stopAtBoundary) {
        return at;
      }
    }
    return at;
  }

  private void headerDone() {
    int lengthField = header[1] & 0x7f;
    long length;
    if (lengthField == 126) {
      length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
    } else if (lengthField == 127) {
      length = 0;
      for (int i = 2; i < 10; i++) {
        length = (length << 8) | (header[i] & 0xff);
      }
    } else {
      length = lengthField;
    }
    payloadLeft = length;
    headerRead = 0;
    headerLength = 2;
    if ((header[0] & 0x0f) == OPCODE_CLOSE && !closeSeen) {
      closeSeen = true;
      if (length >= 2) {
        closeCodeLeft = 2;
        maskIndex = 0;
        closeCodeValue = 0;
      } else {
        closeCode = 1005;
      }
    }
  }

  private void readCloseCodeByte(byte raw) {
    int value = raw & 0xff;
    if ((header[1] & 0x80) != 0) {
      int maskStart = 2 + lengthBytes(header[1]);
      value ^= header[maskStart + maskIndex] & 0xff;
    }
    maskIndex++;
    closeCodeValue = (closeCodeValue << 8) | value;
    if (--closeCodeLeft == 0) {
      closeCode = closeCodeValue;
    }
  }

  private static int lengthBytes(byte second) {
    int field = second & 0x7f;
    return field == 126 ? 2 : field == 127 ? 8 : 0;
  }
}
