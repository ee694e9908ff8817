package io.portico.upstream.websocket;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * Checks an upstream's 101 against the client's upgrade request (RFC 6455 §4.1, §4.2.2): the
 * gateway passes a 101 on only when it answers this very handshake, so an upstream cannot switch a
 * client to a protocol, subprotocol or extension it did not ask for.
 */
public final class Handshake {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private Handshake() {}

  /** Whether the client's request asks for a WebSocket (version 13, a key, {@code Upgrade: websocket}). */
  public static boolean isWebSocketUpgrade(MultiMap request) {
    return request.contains("upgrade", "websocket", true)
        && request.contains("connection", "upgrade", true)
        && request.get("sec-websocket-key") != null;
  }

  /**
   * Why the upstream's 101 does not answer the client's request, or {@code null} when it does.
   *
   * @param request the client's request headers
   * @param answer the upstream's 101 headers
   */
  public static String mismatch(MultiMap request, MultiMap answer) {
    if (!answer.contains("upgrade", "websocket", true)) {
      return "the 101 does not switch to websocket";
    }
    String key = request.get("sec-websocket-key");
    if (key == null || !accept(key).equals(answer.get("sec-websocket-accept"))) {
      return "Sec-WebSocket-Accept does not answer the client's key";
    }
    String protocol = answer.get("sec-websocket-protocol");
    if (protocol != null && !offered(request, "sec-websocket-protocol", protocol.trim())) {
      return "subprotocol " + protocol + " was not offered by the client";
    }
    for (String extension : answer.getAll("sec-websocket-extensions")) {
      for (String one : extension.split(",")) {
        String name = one.split(";", 2)[0].trim();
        if (!name.isEmpty() && !offered(request, "sec-websocket-extensions", name)) {
          return "extension " + name + " was not offered by the client";
        }
      }
    }
    return null;
  }

  /** The {@code Sec-WebSocket-Accept} value for a client's key. */
  static String accept(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest((key.trim() + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JRE", e);
    }
  }

  /** Whether a comma-separated request header lists {@code token} (parameters after ';' ignored). */
  private static boolean offered(MultiMap request, String header, String token) {
    String wanted = token.toLowerCase(Locale.ROOT);
    for (String value : request.getAll(header)) {
      for (String one : value.split(",")) {
        if (one.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals(wanted)) {
          return true;
        }
      }
    }
    return false;
  }
}
