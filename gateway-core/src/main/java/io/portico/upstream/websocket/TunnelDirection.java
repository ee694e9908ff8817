package io.portico.upstream.websocket;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * One direction of a tunnel: reads bytes from one socket and writes them unchanged to the other,
 * pausing the reader while the writer's queue is full (so a fast sender never fills the gateway's
 * heap), and following frame boundaries so the gateway can put a close frame of its own between two
 * frames. Confined to the tunnel's event loop.
 */
final class TunnelDirection {
  private final NetSocket from;
  private final NetSocket to;
  /** Whether frames toward {@code to} must be masked: {@code to} is the upstream. */
  private final boolean towardUpstream;
  private final Counter bytesCounter;
  private final Runnable activity;
  private final FrameCursor cursor = new FrameCursor();
  private long bytes;
  private int closePending = -1;
  private String closePendingReason;
  private boolean closeWritten;
  private Runnable peerAnsweredClose;

  TunnelDirection(NetSocket from, NetSocket to, boolean towardUpstream, Counter bytesCounter, Runnable activity) {
    this.from = from;
    this.to = to;
    this.towardUpstream = towardUpstream;
    this.bytesCounter = bytesCounter;
    this.activity = activity;
  }

  void start() {
    from.handler(this::relay);
  }

  /** Bytes relayed so far. */
  long bytes() {
    return bytes;
  }

  /** The status code of the first close frame that went this way, -1 for none. */
  int closeCode() {
    return cursor.closeCode();
  }

  /** Whether the gateway wrote its own close frame this way. */
  boolean closeWritten() {
    return closeWritten;
  }

  /** Whether the sender already sent its close frame (the close handshake is under way). */
  boolean senderClosed() {
    return cursor.closeSeen();
  }

  /**
   * Writes a close frame toward {@code to} at the next frame boundary (now, when between frames),
   * after which the sender's further bytes are read but dropped. {@code onPeerClose} runs when the
   * sender then sends its own close frame (its answer to the gateway's close in the other
   * direction).
   */
  void closeAtBoundary(int code, String reason, Runnable onPeerClose) {
    if (closeWritten || closePending >= 0 || cursor.closeSeen()) {
      return; // a close frame already went (or is going) this way: a second one is not allowed
    }
    peerAnsweredClose = onPeerClose;
    if (cursor.atBoundary()) {
      writeClose(code, reason);
    } else {
      closePending = code;
      closePendingReason = reason;
    }
  }

  private void relay(Buffer buffer) {
    activity.run();
    if (closeWritten) {
      dropAfterClose(buffer, 0);
      return;
    }
    int length = buffer.length();
    if (closePending >= 0) {
      int boundary = cursor.advance(buffer, 0, true);
      forward(boundary == length ? buffer : buffer.slice(0, boundary));
      if (cursor.atBoundary()) {
        writeClose(closePending, closePendingReason);
        dropAfterClose(buffer, boundary);
      }
      return;
    }
    cursor.advance(buffer, 0, false);
    forward(buffer);
  }

  private void forward(Buffer buffer) {
    int length = buffer.length();
    if (length == 0) {
      return;
    }
    bytes += length;
    bytesCounter.increment(length);
    to.write(buffer);
    if (to.writeQueueFull()) {
      from.pause();
      to.drainHandler(v -> from.resume());
    }
  }

  private void writeClose(int code, String reason) {
    closeWritten = true;
    closePending = -1;
    to.write(CloseFrames.close(code, reason, towardUpstream));
  }

  /** After the gateway's close, the sender's bytes are only watched for its own close frame. */
  private void dropAfterClose(Buffer buffer, int from) {
    boolean closedBefore = cursor.closeSeen();
    cursor.advance(buffer, from, false);
    if (!closedBefore && cursor.closeSeen() && peerAnsweredClose != null) {
      peerAnsweredClose.run();
    }
  }
}
