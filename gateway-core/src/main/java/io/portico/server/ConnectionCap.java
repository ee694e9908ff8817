package io.portico.server;

import io.netty.channel.Channel;
import io.portico.runtime.OverloadState;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code overload.max-connections}: the open client connections of one listener (all its event
 * loops) at most. A connection beyond the cap is accepted and closed at once, before a byte of it
 * is read, so that the client learns at once rather than waiting in the accept backlog. One atomic
 * counter per accepted connection: not on the request path.
 */
final class ConnectionCap {
  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final OverloadState state;

  ConnectionCap(int max, OverloadState state) {
    this.max = max;
    this.state = state;
  }

  /** Counts {@code channel} until it closes, or closes it now when the cap is reached; whether it was admitted. */
  boolean admit(Channel channel) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      state.connectionRefused();
      channel.close();
      return false;
    }
    channel.closeFuture().addListener(closed -> open.decrementAndGet());
    return true;
  }

  int open() {
    return open.get();
  }
}
