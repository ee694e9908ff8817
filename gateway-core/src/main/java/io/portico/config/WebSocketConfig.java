package io.portico.config;

import java.time.Duration;

/**
 * {@code routes[].websocket:} how the route's WebSocket tunnels behave once upgraded. After the 101
 * the gateway relays bytes, so frame and message sizes, fragmentation, ping/pong, subprotocols and
 * extensions are whatever client and upstream agree on; these settings are about the tunnel itself.
 *
 * @param idleTimeout close a tunnel through which no byte went either way for this long (close
 *     code 1001 to both sides at a frame boundary); default the listener's {@code limits.idle-timeout}
 * @param enabled {@code false} answers upgrade requests on this route with 403, default true
 */
public record WebSocketConfig(Duration idleTimeout, Boolean enabled) {
  public WebSocketConfig {
    enabled = enabled != null ? enabled : Boolean.TRUE;
  }
}
