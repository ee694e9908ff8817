package io.portico.upstream.grpcweb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The last frame of a gRPC-Web answer body, which carries the gRPC trailers: flag byte
 * {@code 0x80}, the 4-byte big-endian length, then the trailers as HTTP/1 header lines
 * ({@code name: value\r\n}, names in lower case).
 */
public final class TrailerFrame {
  /** The flag byte that marks a trailer frame (its most significant bit). */
  public static final byte FLAG = (byte) 0x80;

  private TrailerFrame() {}

  /** The frame holding {@code trailers}. */
  public static ByteBuf of(HttpHeaders trailers) {
    StringBuilder block = new StringBuilder(64);
    Iterator<Map.Entry<CharSequence, CharSequence>> entries = trailers.iteratorCharSequence();
    while (entries.hasNext()) {
      Map.Entry<CharSequence, CharSequence> entry = entries.next();
      block.append(entry.getKey().toString().toLowerCase(Locale.ROOT)).append(": ").append(entry.getValue()).append("\r\n");
    }
    // header values are ISO-8859-1 on the wire (gRPC metadata values are ASCII, binary ones base64)
    byte[] bytes = block.toString().getBytes(StandardCharsets.ISO_8859_1);
    return Unpooled.buffer(5 + bytes.length).writeByte(FLAG).writeInt(bytes.length).writeBytes(bytes);
  }
}
