package io.portico.upstream.grpcweb;

import io.netty.buffer.ByteBuf;
import java.util.Base64;

/**
 * Encodes a body to base64 as it passes, chunk by chunk: each chunk's bytes are encoded up to a
 * multiple of three and the one or two left over go with the next chunk, so the whole body is one
 * base64 string padded only at its end (what every gRPC-Web text client decodes).
 */
public final class Base64Encoder {
  private final byte[] carry = new byte[2];
  private int carried;

  /**
   * The base64 text of {@code bytes} (not consumed or released) after what was carried over;
   * with {@code end} everything is encoded, padded.
   */
  public byte[] encode(ByteBuf bytes, boolean end) {
    int readable = bytes.readableBytes();
    int total = carried + readable;
    int now = end ? total : total - total % 3;
    byte[] data = new byte[total];
    System.arraycopy(carry, 0, data, 0, carried);
    bytes.getBytes(bytes.readerIndex(), data, carried, readable);
    carried = total - now;
    System.arraycopy(data, now, carry, 0, carried);
    return now == 0 ? new byte[0] : Base64.getEncoder().encode(now == total ? data : java.util.Arrays.copyOf(data, now));
  }
}
