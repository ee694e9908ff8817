package io.portico.exchange;

import io.vertx.core.net.SocketAddress;

/**
 * The text form of client addresses, remembered per connection. Vert.x keeps one address object per
 * connection but formats its IP anew on every call; a small direct-mapped cache on the address
 * object's identity saves that formatting for every request after a connection's first. Confined to
 * one event loop.
 */
final class PeerAddresses {
  private static final int SLOTS = 256; // a power of two

  private final SocketAddress[] addresses = new SocketAddress[SLOTS];
  private final String[] texts = new String[SLOTS];

  /** The IP of {@code address} as text, or {@code null} for a non-IP address. */
  String ip(SocketAddress address) {
    if (address == null) {
      return null;
    }
    int slot = System.identityHashCode(address) & (SLOTS - 1);
    if (addresses[slot] == address) {
      return texts[slot];
    }
    String text = address.hostAddress();
    addresses[slot] = address; // a later connection in this slot replaces it: memory stays bounded
    texts[slot] = text;
    return text;
  }
}
