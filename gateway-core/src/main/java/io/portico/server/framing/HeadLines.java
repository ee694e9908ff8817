package io.portico.server.framing;

import io.portico.exchange.ErrorCatalog;
import io.portico.spi.Reply;
import io.portico.upstream.FieldSyntax;

/**
 * Reads the lines of one request head (and of a chunked body's trailer section) byte by byte and
 * keeps the few facts framing depends on: the HTTP version, the {@code Content-Length} and
 * {@code Transfer-Encoding} fields, whether an upgrade is asked for. Rejects bare CR and LF, NUL, obs-fold
 * continuation lines, fields without a name or with space before the colon, and heads over the
 * limits. Only the first bytes of each field name and value are kept: enough to recognise the
 * fields that matter.
 */
final class HeadLines {
  /** The byte was taken; the line goes on. */
  static final int MORE = 0;
  /** A non-empty line ended. */
  static final int LINE = 1;
  /** An empty line ended: the end of the head (or of the trailers). */
  static final int BLANK = 2;
  /** The head is refused: see {@link #rejection()}. */
  static final int REJECT = 3;

  private static final int CAPTURE = 24;
  private static final long HTTP_1_0 = pack("HTTP/1.0");
  private static final long PRI_LINE = pack("PRI * HT");

  private final int maxRequestLine;
  private final int maxHeaderSize;
  private final int maxHeaders;
  private final byte[] name = new byte[CAPTURE];
  private final byte[] value = new byte[CAPTURE];
  private Reply rejection;
  private boolean cr;
  private int lineLength;
  private long first8;
  private long last8;
  private int colon;
  private byte previous;
  private int valueLength;
  private boolean valueOverflow;
  private int fields;
  private int fieldBytes;

  int contentLengths;
  long contentLength;
  boolean contentLengthInvalid;
  int transferEncodings;
  boolean chunked;
  boolean http10;
  boolean upgrade;
  private boolean preface;

  HeadLines(int maxRequestLine, int maxHeaderSize, int maxHeaders) {
    this.maxRequestLine = maxRequestLine;
    this.maxHeaderSize = maxHeaderSize;
    this.maxHeaders = maxHeaders;
  }

  Reply rejection() {
    return rejection;
  }

  /** Starts a new head: forgets the facts of the previous one. */
  void startHead() {
    startLine();
    fields = 0;
    fieldBytes = 0;
    first8 = 0;
    last8 = 0;
    contentLengths = 0;
    contentLength = 0;
    contentLengthInvalid = false;
    transferEncodings = 0;
    chunked = false;
    http10 = false;
    upgrade = false;
    preface = false;
  }

  /** Starts the trailer section of a chunked body. */
  void startTrailers() {
    startLine();
  }

  /** A byte of the request line. */
  int requestLineByte(byte b) {
    int end = lineEnding(b);
    if (end != MORE || cr) {
      if (end == LINE) {
        http10 = last8 == HTTP_1_0;
        preface = lineLength == 14 && first8 == PRI_LINE;
        startLine();
      }
      return end;
    }
    if (b == 0) {
      return reject(ErrorCatalog.BAD_REQUEST);
    }
    if (++lineLength > maxRequestLine) {
      return reject(ErrorCatalog.URI_TOO_LONG);
    }
    if (lineLength <= 8) {
      first8 = (first8 << 8) | (b & 0xFF);
    }
    last8 = (last8 << 8) | (b & 0xFF);
    return MORE;
  }

  /** Whether the request line just read is the HTTP/2 connection preface's ({@code PRI * HTTP/2.0}). */
  boolean isPrefaceLine() {
    return preface;
  }

  /** A byte of a field line (header or trailer). */
  int fieldByte(byte b, boolean header) {
    int end = lineEnding(b);
    if (end == LINE) {
      end = lineLength == 0 ? BLANK : fieldEnd(header);
      startLine();
      return end;
    }
    if (end != MORE || cr) {
      return end;
    }
    if (b == 0) {
      return reject(ErrorCatalog.BAD_REQUEST); // RFC 9110 §5.5: NUL is as dangerous as CR and LF
    }
    if (lineLength == 0 && (b == ' ' || b == '\t')) {
      return reject(ErrorCatalog.BAD_FRAMING); // obs-fold: a continuation line
    }
    if (++fieldBytes > maxHeaderSize) {
      return reject(ErrorCatalog.HEADERS_TOO_LARGE);
    }
    if (colon < 0) {
      if (b == ':') {
        if (lineLength == 0 || previous == ' ' || previous == '\t') {
          return reject(ErrorCatalog.BAD_REQUEST); // no name, or whitespace before the colon
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
    return MORE;
  }

  /**
   * Takes the run of ordinary bytes at {@code bytes[from, to)} inside a field value that has started
   * (any byte but CR, LF and NUL), as {@link #fieldByte} would one by one, and returns how many it
   * took: 0 outside a value. Long values (tokens, cookies) are most of a head's bytes; this keeps
   * them to a comparison per eight bytes. It stops where the head would exceed its size limit, so
   * the byte that does goes through {@link #fieldByte} and is refused there.
   */
  int valueRun(byte[] bytes, int from, int to) {
    if (colon < 0 || valueLength == 0 || cr) {
      return 0;
    }
    int end = Math.min(to, from + (maxHeaderSize - fieldBytes));
    int i = FieldSyntax.firstLineBreakOrNul(bytes, from, end);
    int taken = i - from;
    if (taken > 0) {
      int captured = Math.min(taken, CAPTURE - valueLength);
      if (captured > 0) {
        System.arraycopy(bytes, from, value, valueLength, captured);
        valueLength += captured;
      }
      valueOverflow |= captured < taken;
      fieldBytes += taken;
      lineLength += taken;
      previous = bytes[i - 1];
    }
    return taken;
  }

  /** CR LF ends a line; any other use of CR or LF is refused. MORE also while a CR waits. */
  private int lineEnding(byte b) {
    if (cr) {
      cr = false;
      return b == '\n' ? LINE : reject(ErrorCatalog.BAD_REQUEST); // a CR not followed by LF
    }
    if (b == '\r') {
      cr = true;
      return MORE;
    }
    return b == '\n' ? reject(ErrorCatalog.BAD_REQUEST) : MORE; // a bare LF ends no line
  }

  private int fieldEnd(boolean header) {
    if (++fields > maxHeaders) {
      return reject(ErrorCatalog.TOO_MANY_HEADERS);
    }
    if (colon < 0) {
      return reject(ErrorCatalog.BAD_REQUEST); // a field line without a colon
    }
    if (header) {
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
    return LINE;
  }

  private void startLine() {
    cr = false;
    lineLength = 0;
    colon = -1;
    valueLength = 0;
    valueOverflow = false;
  }

  private long parseLength() {
    int end = trimmedValueLength();
    if (valueOverflow || end == 0 || end > 18) {
      contentLengthInvalid = true;
      return -1;
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
    int end = trimmedValueLength();
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

  private int trimmedValueLength() {
    int end = valueLength;
    while (end > 0 && (value[end - 1] == ' ' || value[end - 1] == '\t')) {
      end--;
    }
    return end;
  }

  private int reject(Reply reason) {
    rejection = reason;
    return REJECT;
  }

  private static long pack(String eight) {
    long packed = 0;
    for (int i = 0; i < 8; i++) {
      packed = (packed << 8) | eight.charAt(i);
    }
    return packed;
  }
}
