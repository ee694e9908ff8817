package io.portico.server;

import io.netty.buffer.ByteBuf;
import io.portico.spi.Reply;

/**
 * Follows the framing of HTTP/1 requests on one connection, byte by byte, without buffering: request
 * line, header lines, then a fixed-length or chunked body, then the next request. It rejects what a
 * strict reading of RFC 9112 rejects and what Netty's decoder would silently repair: a
 * {@code Content-Length} together with {@code Transfer-Encoding}, duplicate
 * {@code Content-Length}, a transfer coding other than a single {@code chunked}, obs-fold
 * continuation lines, bare CR or LF, malformed chunk sizes and chunk terminators. It also enforces
 * the head limits (request line, header bytes, header count).
 *
 * <p>{@link #scan} stops at each event the guard acts on and returns where it stopped.
 */
final class FramingScanner {
  static final int CONSUMED = 0;
  /** A request head starts at the byte before the returned index. */
  static final int HEAD_START = 1;
  /** A valid head ended and its body follows. */
  static final int HEAD_END = 2;
  /** A whole request (head and body, if any) ended. */
  static final int MESSAGE_END = 3;
  /** The framing is broken: see {@link #violation()}. */
  static final int VIOLATION = 4;
  /** The connection speaks HTTP/2 (prior-knowledge preface). */
  static final int PREFACE = 5;
  /** An upgrade request ended: what follows depends on the answer. */
  static final int UPGRADE = 6;

  private static final int START = 0;
  private static final int REQUEST_LINE = 1;
  private static final int HEADER_LINE = 2;
  private static final int FIXED_BODY = 3;
  private static final int CHUNK_SIZE = 4;
  private static final int CHUNK_EXT = 5;
  private static final int CHUNK_DATA = 6;
  private static final int CHUNK_CR = 7;
  private static final int CHUNK_LF = 8;
  private static final int TRAILER_LINE = 9;
  private static final int STOPPED = 10;

  private static final int CAPTURE = 24;
  private static final int MAX_BLANK_BYTES = 8;
  private static final long HTTP_1_0 = pack("HTTP/1.0");
  private static final long PRI_LINE = pack("PRI * HT");

  private final int maxRequestLine;
  private final int maxHeaderSize;
  private final int maxHeaders;

  private int state = START;
  private int event;
  private int blankBytes;
  private Reply violation;
  private boolean firstHead = true;
  private boolean cr;
  private int lineLength;
  private long first8;
  private long last8;
  private final byte[] name = new byte[CAPTURE];
  private final byte[] value = new byte[CAPTURE];
  private int colon;
  private byte previous;
  private int valueLength;
  private boolean valueOverflow;
  private int headerCount;
  private int headerBytes;
  private int contentLengths;
  private long contentLength;
  private boolean contentLengthInvalid;
  private int transferEncodings;
  private boolean chunked;
  private boolean http10;
  private boolean upgrade;
  private long remaining;
  private int chunkDigits;

  FramingScanner(int maxRequestLine, int maxHeaderSize, int maxHeaders) {
    this.maxRequestLine = maxRequestLine;
    this.maxHeaderSize = maxHeaderSize;
    this.maxHeaders = maxHeaders;
  }

  /** Why the request was rejected, once {@link #VIOLATION} was returned. */
  Reply violation() {
    return violation;
  }

  /** Whether a request head has started and not yet ended. */
  boolean inHead() {
    return state == REQUEST_LINE || state == HEADER_LINE;
  }

  /** Reads {@code buf[from, to)} until an event; the event is in {@link #event()}. */
  int scan(ByteBuf buf, int from, int to) {
    event = CONSUMED;
    int i = from;
    while (i < to && event == CONSUMED) {
      switch (state) {
        case FIXED_BODY:
        case CHUNK_DATA:
          int skip = (int) Math.min(remaining, to - i);
          i += skip;
          remaining -= skip;
          if (remaining == 0) {
            if (state == FIXED_BODY) {
              messageEnd();
            } else {
              state = CHUNK_CR;
            }
          }
          break;
        case STOPPED:
          return to;
        default:
          byte b = buf.getByte(i++);
          step(b);
      }
    }
    return i;
  }

  int event() {
    return event;
  }

  private void step(byte b) {
    switch (state) {
      case START:
        if (b == '\r' || b == '\n') { // a few empty lines before a request line are ignored (RFC 9112 §2.2)
          if (++blankBytes > MAX_BLANK_BYTES) {
            reject(ErrorCatalog.BAD_REQUEST);
          }
        } else {
          state = REQUEST_LINE;
          startHead();
          event = HEAD_START;
          lineByte(b);
        }
        return;
      case CHUNK_SIZE:
        chunkSizeByte(b);
        return;
      case CHUNK_EXT:
        if (b == '\r') {
          state = CHUNK_LF;
        } else if (b == '\n' || (b < 0x20 && b != '\t') || b == 0x7f) {
          reject(ErrorCatalog.BAD_FRAMING);
        }
        return;
      case CHUNK_CR:
        if (b == '\r') {
          state = CHUNK_LF;
          remaining = -1; // marks "after chunk data" for the LF
        } else {
          reject(ErrorCatalog.BAD_FRAMING);
        }
        return;
      case CHUNK_LF:
        if (b != '\n') {
          reject(ErrorCatalog.BAD_FRAMING);
        } else if (remaining == -1) {
          state = CHUNK_SIZE;
          chunkDigits = 0;
          remaining = 0;
        } else {
          chunkSizeLineEnd();
        }
        return;
      default:
        lineByte(b);
    }
  }

  private void lineByte(byte b) {
    if (cr) {
      cr = false;
      if (b != '\n') {
        reject(ErrorCatalog.BAD_REQUEST); // a CR not followed by LF
      } else {
        lineEnd();
      }
      return;
    }
    if (b == '\r') {
      cr = true;
      return;
    }
    if (b == '\n') {
      reject(ErrorCatalog.BAD_REQUEST); // a bare LF ends no line
      return;
    }
    if (state == REQUEST_LINE) {
      if (++lineLength > maxRequestLine) {
        reject(ErrorCatalog.URI_TOO_LONG);
        return;
      }
      if (lineLength <= 8) {
        first8 = (first8 << 8) | (b & 0xFF);
      }
      last8 = (last8 << 8) | (b & 0xFF);
      return;
    }
    if (lineLength == 0 && (b == ' ' || b == '\t')) {
      reject(ErrorCatalog.BAD_FRAMING); // obs-fold: a continuation line
      return;
    }
    if (++headerBytes > maxHeaderSize) {
      reject(ErrorCatalog.HEADERS_TOO_LARGE);
      return;
    }
    if (colon < 0) {
      if (b == ':') {
        if (lineLength == 0 || previous == ' ' || previous == '\t') {
          reject(ErrorCatalog.BAD_REQUEST); // no name, or whitespace before the colon
          return;
        }
        colon = lineLength;
      } else if (lineLength < CAPTURE) {
        name[lineLength] = (byte) (b >= 'A' && b <= 'Z' ? b + 32 : b);
      }
    } else if (valueLength > 0 || (b != ' ' && b != '\t')) {
      if (valueLength < CAPTURE) {
        value[valueLength++] = b;
      } else {
        valueOverflow = true;
      }
    }
    previous = b;
    lineLength++;
  }

  private void lineEnd() {
    if (state == REQUEST_LINE) {
      if (firstHead && lineLength == 14 && first8 == PRI_LINE) {
        state = STOPPED;
        event = PREFACE;
        return;
      }
      http10 = last8 == HTTP_1_0;
      state = HEADER_LINE;
    } else if (lineLength == 0) {
      if (state == HEADER_LINE) {
        headEnd();
      } else {
        messageEnd();
      }
      return;
    } else if (++headerCount > maxHeaders) {
      reject(ErrorCatalog.TOO_MANY_HEADERS);
      return;
    } else if (colon < 0) {
      reject(ErrorCatalog.BAD_REQUEST); // a header line without a colon
      return;
    } else if (state == HEADER_LINE) {
      header();
    }
    lineLength = 0;
    colon = -1;
    valueLength = 0;
    valueOverflow = false;
  }

  private void header() {
    if (nameIs("content-length")) {
      contentLengths++;
      contentLength = parseLength();
    } else if (nameIs("transfer-encoding")) {
      transferEncodings++;
      chunked = !valueOverflow && valueIs("chunked");
    } else if (nameIs("upgrade")) {
      upgrade = true;
    }
  }

  private void headEnd() {
    firstHead = false;
    if (transferEncodings > 0 && (contentLengths > 0 || http10 || transferEncodings > 1 || !chunked)) {
      reject(ErrorCatalog.BAD_FRAMING);
    } else if (contentLengths > 1 || contentLengthInvalid) {
      reject(ErrorCatalog.BAD_FRAMING);
    } else {
      event = HEAD_END;
      if (chunked) {
        state = CHUNK_SIZE;
        chunkDigits = 0;
        remaining = 0;
      } else if (contentLengths == 1 && contentLength > 0) {
        state = FIXED_BODY;
        remaining = contentLength;
      } else {
        messageEnd();
      }
    }
  }

  private void messageEnd() {
    blankBytes = 0;
    if (upgrade) {
      state = STOPPED;
      event = UPGRADE;
    } else {
      state = START;
      event = MESSAGE_END;
    }
  }

  /** Resumes at a new request after an upgrade was declined. */
  void resumeAfterDeclinedUpgrade() {
    upgrade = false;
    state = START;
  }

  private void chunkSizeByte(byte b) {
    int digit = Character.digit(b, 16);
    if (digit >= 0) {
      if (++chunkDigits > 15) {
        reject(ErrorCatalog.BAD_FRAMING); // no chunk is that big
      } else {
        remaining = remaining * 16 + digit;
      }
    } else if (chunkDigits > 0 && (b == ';' || b == ' ' || b == '\t')) {
      state = CHUNK_EXT;
    } else if (chunkDigits > 0 && b == '\r') {
      state = CHUNK_LF;
    } else {
      reject(ErrorCatalog.BAD_FRAMING);
    }
  }

  private void chunkSizeLineEnd() {
    if (remaining == 0) {
      state = TRAILER_LINE;
      lineLength = 0;
      colon = -1;
      valueLength = 0;
    } else {
      state = CHUNK_DATA;
    }
  }

  private void startHead() {
    lineLength = 0;
    colon = -1;
    valueLength = 0;
    valueOverflow = false;
    cr = false;
    first8 = 0;
    last8 = 0;
    headerCount = 0;
    headerBytes = 0;
    contentLengths = 0;
    contentLength = 0;
    contentLengthInvalid = false;
    transferEncodings = 0;
    chunked = false;
    http10 = false;
    upgrade = false;
  }

  private long parseLength() {
    if (valueOverflow || valueLength == 0 || valueLength > 18) {
      contentLengthInvalid = true;
      return -1;
    }
    int end = valueLength;
    while (end > 0 && (value[end - 1] == ' ' || value[end - 1] == '\t')) {
      end--;
    }
    long length = 0;
    for (int i = 0; i < end; i++) {
      if (value[i] < '0' || value[i] > '9') {
        contentLengthInvalid = true;
        return -1;
      }
      length = length * 10 + (value[i] - '0');
    }
    return length;
  }

  private boolean nameIs(String lower) {
    if (colon != lower.length()) {
      return false;
    }
    for (int i = 0; i < colon; i++) {
      if (name[i] != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean valueIs(String lower) {
    int end = valueLength;
    while (end > 0 && (value[end - 1] == ' ' || value[end - 1] == '\t')) {
      end--;
    }
    if (end != lower.length()) {
      return false;
    }
    for (int i = 0; i < end; i++) {
      byte b = value[i];
      if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void reject(Reply reason) {
    violation = reason;
    state = STOPPED;
    event = VIOLATION;
  }

  private static long pack(String eight) {
    long packed = 0;
    for (int i = 0; i < 8; i++) {
      packed = (packed << 8) | eight.charAt(i);
    }
    return packed;
  }
}
