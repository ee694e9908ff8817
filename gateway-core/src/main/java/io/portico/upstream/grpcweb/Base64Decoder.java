package io.portico.upstream.grpcweb;

import io.vertx.core.buffer.Buffer;

/**
 * Decodes a base64 body as it arrives, chunk by chunk, keeping at most three characters of a
 * group of four between chunks. The body may be several padded base64 strings one after the other
 * (a gRPC-Web text client may encode each message on its own); white space is ignored. Both the
 * standard and the URL-safe alphabet are accepted.
 */
public final class Base64Decoder {
  private static final byte[] VALUES = new byte[256];

  static {
    java.util.Arrays.fill(VALUES, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUES[alphabet.charAt(i)] = (byte) i;
    }
    VALUES['-'] = 62;
    VALUES['_'] = 63;
  }

  private int bits;
  private int count;
  private int padding;

  /** The bytes of {@code chunk}'s complete groups; an incomplete group waits for the next chunk. */
  public Buffer decode(Buffer chunk) {
    int length = chunk.length();
    byte[] out = new byte[(count + length) / 4 * 3 + 3];
    int written = 0;
    for (int i = 0; i < length; i++) {
      int c = chunk.getByte(i) & 0xFF;
      if (c == ' ' || c == '\r' || c == '\n' || c == '\t') {
        continue;
      }
      if (c == '=') {
        if (count < 2) {
          throw new IllegalArgumentException("misplaced base64 padding");
        }
        padding++;
      } else {
        int value = VALUES[c];
        if (value < 0) {
          throw new IllegalArgumentException("not base64: byte " + c);
        }
        if (padding > 0) {
          throw new IllegalArgumentException("base64 data after padding within a group");
        }
        bits |= value << (18 - 6 * count);
      }
      count++;
      if (count == 4) {
        out[written++] = (byte) (bits >> 16);
        if (padding < 2) {
          out[written++] = (byte) (bits >> 8);
        }
        if (padding < 1) {
          out[written++] = (byte) bits;
        }
        bits = 0;
        count = 0;
        padding = 0;
      }
    }
    return written == 0 ? Buffer.buffer(0) : Buffer.buffer(java.util.Arrays.copyOf(out, written));
  }

  /**
   * The end of the body: the bytes of a last group written without its padding, if any.
   *
   * @throws IllegalArgumentException when the body ends inside a group that cannot be complete
   */
  public Buffer finish() {
    int pending = count;
    int pads = padding;
    int value = bits;
    bits = 0;
    count = 0;
    padding = 0;
    if (pending == 0) {
      return Buffer.buffer(0);
    }
    if (pads > 0 || pending == 1) {
      throw new IllegalArgumentException("base64 body ends inside a group");
    }
    Buffer tail = Buffer.buffer(2).appendByte((byte) (value >> 16));
    return pending == 3 ? tail.appendByte((byte) (value >> 8)) : tail;
  }

  /** Decodes a whole base64 body. */
  public static Buffer decodeAll(Buffer body) {
    Base64Decoder decoder = new Base64Decoder();
    return decoder.decode(body).appendBuffer(decoder.finish());
  }
}
