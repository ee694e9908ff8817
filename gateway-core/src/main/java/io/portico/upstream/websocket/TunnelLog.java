package io.portico.upstream.websocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per closed tunnel on the logger {@code portico.websocket}: the WebSocket counterpart of
 * the access log, with what only the tunnel knows (close code, who closed, bytes each way).
 */
public final class TunnelLog {
  private static final Logger LOG = LoggerFactory.getLogger("portico.websocket");

  private TunnelLog() {}

  public static void closed(String route, String requestId, String clientIp, String endpoint, WebSocketTunnel.TunnelEnd end) {
    LOG.info("websocket closed route={} request_id={} client_ip={} endpoint={} duration_ms={} close_code={} "
            + "closed_by={} reason={} bytes_in={} bytes_out={}",
        route, requestId, clientIp, endpoint, end.durationNanos() / 1_000_000, end.closeCode(), end.closedBy(),
        end.reason(), end.bytesToUpstream(), end.bytesToClient());
  }
}
