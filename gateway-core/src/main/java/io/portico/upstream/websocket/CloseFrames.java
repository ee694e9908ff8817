package io.portico.upstream.websocket;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** Close frames the gateway writes into a tunnel itself (RFC 6455 §5.5.1). */
final class CloseFrames {
  /** The endpoint is going away: the gateway drains, the route was removed, or the tunnel idled. */
  static final int GOING_AWAY = 1001;

  private CloseFrames() {}

  /**
   * A close frame with {@code code} and {@code reason} (at most 123 bytes of UTF-8). Frames toward
   * the upstream are masked, as a client's must be; frames toward the client are not.
   */
  static Buffer close(int code, String reason, boolean masked) {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    int length = 2 + Math.min(text.length, 123);
    byte[] payload = new byte[length];
    payload[0] = (byte) (code >> 8);
    payload[1] = (byte) code;
    System.arraycopy(text, 0, payload, 2, length - 2);
    Buffer frame = Buffer.buffer(2 + (masked ? 4 : 0) + length);
    frame.appendByte((byte) 0x88); // FIN + close
    frame.appendByte((byte) ((masked ? 0x80 : 0) | length));
    if (masked) {
      byte[] mask = new byte[4];
      ThreadLocalRandom.current().nextBytes(mask);
      frame.appendBytes(mask);
      for (int i = 0; i < length; i++) {
        payload[i] ^= mask[i & 3];
      }
    }
    return frame.appendBytes(payload);
  }
}
