package io.portico.config;

/** A parsed {@code host:port} ({@code [v6]:port} for IPv6). */
public record HostPort(String host, int port) {

  public static HostPort parse(String address) {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("address is required (host:port)");
    }
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException("not host:port: \"" + address + "\"");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in \"" + address + "\"");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range in \"" + address + "\"");
    }
    return new HostPort(host, port);
  }
}
