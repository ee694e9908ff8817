package io.portico.server.framing;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.portico.exchange.ErrorCatalog;
import io.portico.spi.Reply;

/**
 * Follows the framing of HTTP/1 requests on one connection, byte by byte, without buffering: request
 * line, header lines ({@link HeadLines}), then a fixed-length or chunked body, then the next
 * request. It rejects what a strict reading of RFC 9112 rejects and what Netty's decoder would
 * silently repair: {@code Content-Length} together with {@code Transfer-Encoding}, duplicate
 * {@code Content-Length}, a transfer coding other than a single {@code chunked} (or any in
 * HTTP/1.0), obs-fold lines, bare CR or LF, malformed chunk sizes and chunk terminators.
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
  private static final int CHUNK_SIZE_LF = 6;
  private static final int CHUNK_DATA = 7;
  private static final int CHUNK_CR = 8;
  private static final int CHUNK_LF = 9;
  private static final int TRAILER_LINE = 10;
  private static final int STOPPED = 11;

  private static final int MAX_BLANK_BYTES = 8;
  /** Scratch for {@link #walk}: one per event-loop thread, which runs one scan at a time. */
  private static final FastThreadLocal<byte[]> SLICE = new FastThreadLocal<>() {
    @Override
    protected byte[] initialValue() {
      return new byte[2048];
    }
  };
  private static final int MAX_CHUNK_DIGITS = 15;

  private final HeadLines head;
  private int state = START;
  private int event;
  private Reply violation;
  private boolean firstHead = true;
  private int blankBytes;
  private long remaining;
  private int chunkDigits;

  FramingScanner(int maxRequestLine, int maxHeaderSize, int maxHeaders) {
    this.head = new HeadLines(maxRequestLine, maxHeaderSize, maxHeaders);
  }

  /** Why the request was rejected, once {@link #VIOLATION} was returned. */
  Reply violation() {
    return violation;
  }

  int event() {
    return event;
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
      if (state == FIXED_BODY || state == CHUNK_DATA) {
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
      } else if (state == STOPPED) {
        return to;
      } else {
        int stoppedAt = walk(buf, i, to);
        i = stoppedAt < 0 ? to : stoppedAt + 1;
      }
    }
    return i;
  }

  /**
   * Feeds {@code buf[from, to)} to {@link #process} until it returns false; the index of that byte,
   * or -1. The bytes are copied in slices into a per-thread array and walked here rather than with
   * {@code ByteBuf.forEachByte}, whose call to the processor is megamorphic (Netty's decoders pass
   * theirs to the same loop); runs of ordinary field-value bytes are taken in one step
   * ({@link HeadLines#valueRun}). See docs/architecture.md for the measurement.
   */
  private int walk(ByteBuf buf, int from, int to) {
    byte[] slice = SLICE.get();
    for (int start = from; start < to; start += slice.length) {
      int length = Math.min(slice.length, to - start);
      buf.getBytes(start, slice, 0, length);
      int k = 0;
      while (k < length) {
        if (state == HEADER_LINE || state == TRAILER_LINE) {
          k += head.valueRun(slice, k, length);
          if (k == length) {
            break;
          }
        }
        if (!process(slice[k])) {
          return start + k;
        }
        k++;
      }
    }
    return -1;
  }

  /** One byte outside a body; false stops the walk at an event or where a body to skip starts. */
  private boolean process(byte b) {
    switch (state) {
      case START -> start(b);
      case REQUEST_LINE -> requestLine(head.requestLineByte(b));
      case HEADER_LINE -> headerLine(head.fieldByte(b, true));
      case TRAILER_LINE -> trailerLine(head.fieldByte(b, false));
      default -> chunkFraming(b);
    }
    return event == CONSUMED && state != FIXED_BODY && state != CHUNK_DATA && state != STOPPED;
  }

  /** Resumes at a new request after an upgrade was declined. */
  void resumeAfterDeclinedUpgrade() {
    state = START;
  }

  private void start(byte b) {
    if (b == '\r' || b == '\n') { // a few empty lines before a request line are ignored (RFC 9112 §2.2)
      if (++blankBytes > MAX_BLANK_BYTES) {
        reject(ErrorCatalog.BAD_REQUEST);
      }
      return;
    }
    head.startHead();
    state = REQUEST_LINE;
    event = HEAD_START;
    requestLine(head.requestLineByte(b));
  }

  private void requestLine(int result) {
    if (result == HeadLines.REJECT) {
      reject(head.rejection());
    } else if (result == HeadLines.LINE) {
      if (firstHead && head.isPrefaceLine()) {
        state = STOPPED;
        event = PREFACE;
      } else {
        state = HEADER_LINE;
      }
    }
  }

  private void headerLine(int result) {
    if (result == HeadLines.REJECT) {
      reject(head.rejection());
    } else if (result == HeadLines.BLANK) {
      headEnd();
    }
  }

  private void trailerLine(int result) {
    if (result == HeadLines.REJECT) {
      reject(head.rejection());
    } else if (result == HeadLines.BLANK) {
      messageEnd();
    }
  }

  /** Decides the body's framing from the head, refusing every ambiguous combination. */
  private void headEnd() {
    firstHead = false;
    if (head.transferEncodings > 0) {
      if (head.contentLengths > 0 || head.http10 || head.transferEncodings > 1 || !head.chunked) {
        reject(ErrorCatalog.BAD_FRAMING);
        return;
      }
      startChunk();
      event = HEAD_END;
    } else if (head.contentLengths > 1 || head.contentLengthInvalid) {
      reject(ErrorCatalog.BAD_FRAMING);
    } else if (head.contentLengths == 1 && head.contentLength > 0) {
      state = FIXED_BODY;
      remaining = head.contentLength;
      event = HEAD_END;
    } else {
      messageEnd();
    }
  }

  private void chunkFraming(byte b) {
    switch (state) {
      case CHUNK_SIZE -> {
        int digit = Character.digit(b, 16);
        if (digit >= 0 && ++chunkDigits <= MAX_CHUNK_DIGITS) {
          remaining = remaining * 16 + digit;
        } else if (chunkDigits > 0 && digit < 0 && (b == ';' || b == ' ' || b == '\t')) {
          state = CHUNK_EXT;
        } else if (chunkDigits > 0 && digit < 0 && b == '\r') {
          state = CHUNK_SIZE_LF;
        } else {
          reject(ErrorCatalog.BAD_FRAMING);
        }
      }
      case CHUNK_EXT -> {
        if (b == '\r') {
          state = CHUNK_SIZE_LF;
        } else if (b == '\n' || (b < 0x20 && b != '\t') || b == 0x7f) {
          reject(ErrorCatalog.BAD_FRAMING);
        }
      }
      case CHUNK_SIZE_LF -> {
        if (b != '\n') {
          reject(ErrorCatalog.BAD_FRAMING);
        } else if (remaining == 0) {
          head.startTrailers();
          state = TRAILER_LINE;
        } else {
          state = CHUNK_DATA;
        }
      }
      case CHUNK_CR -> {
        if (b == '\r') {
          state = CHUNK_LF;
        } else {
          reject(ErrorCatalog.BAD_FRAMING); // chunk data must end with CRLF
        }
      }
      case CHUNK_LF -> {
        if (b == '\n') {
          startChunk();
        } else {
          reject(ErrorCatalog.BAD_FRAMING);
        }
      }
      default -> reject(ErrorCatalog.BAD_FRAMING);
    }
  }

  private void startChunk() {
    state = CHUNK_SIZE;
    chunkDigits = 0;
    remaining = 0;
  }

  private void messageEnd() {
    blankBytes = 0;
    if (head.upgrade) {
      state = STOPPED;
      event = UPGRADE;
    } else {
      state = START;
      event = MESSAGE_END;
    }
  }

  private void reject(Reply reason) {
    violation = reason;
    state = STOPPED;
    event = VIOLATION;
  }
}
