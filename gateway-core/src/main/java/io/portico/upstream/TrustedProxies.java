package io.portico.upstream;

import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code trusted-proxies} CIDRs: peers whose {@code X-Forwarded-*} and {@code Forwarded}
 * headers are believed. Immutable; an empty set trusts nobody without parsing anything.
 */
public final class TrustedProxies {
  private static final TrustedProxies NONE = new TrustedProxies(new byte[0][], new int[0]);

  private final byte[][] networks;
  private final int[] prefixes;

  private TrustedProxies(byte[][] networks, int[] prefixes) {
    this.networks = networks;
    this.prefixes = prefixes;
  }

  /** Parses {@code 10.0.0.0/8}, {@code 192.168.1.7}, {@code fd00::/8}. */
  public static TrustedProxies of(List<String> cidrs) {
    if (cidrs == null || cidrs.isEmpty()) {
      return NONE;
    }
    List<byte[]> networks = new ArrayList<>();
    int[] prefixes = new int[cidrs.size()];
    for (String cidr : cidrs) {
      int slash = cidr.indexOf('/');
      String ip = slash < 0 ? cidr.trim() : cidr.substring(0, slash).trim();
      byte[] address = NetUtil.createByteArrayFromIpAddressString(ip);
      if (address == null) {
        throw new IllegalArgumentException("not an IP address or CIDR: \"" + cidr + "\"");
      }
      int prefix = slash < 0 ? address.length * 8 : Integer.parseInt(cidr.substring(slash + 1).trim());
      if (prefix < 0 || prefix > address.length * 8) {
        throw new IllegalArgumentException("bad prefix length in \"" + cidr + "\"");
      }
      prefixes[networks.size()] = prefix;
      networks.add(address);
    }
    return new TrustedProxies(networks.toArray(new byte[0][]), prefixes);
  }

  public boolean isEmpty() {
    return networks.length == 0;
  }

  /** Whether {@code ip} (a literal address, as a peer address prints) is in one of the ranges. */
  public boolean contains(String ip) {
    if (networks.length == 0 || ip == null) {
      return false;
    }
    byte[] address = NetUtil.createByteArrayFromIpAddressString(ip.trim());
    if (address == null) {
      return false;
    }
    for (int i = 0; i < networks.length; i++) {
      if (networks[i].length == address.length && matches(networks[i], address, prefixes[i])) {
        return true;
      }
    }
    return false;
  }

  /**
   * The client's address: the peer itself unless the peer is trusted; then the right-most
   * {@code X-Forwarded-For} entry that is not a trusted proxy (the left-most when all are).
   */
  public String clientIp(String peerIp, boolean peerTrusted, String forwardedFor) {
    if (!peerTrusted || forwardedFor == null) {
      return peerIp;
    }
    int end = forwardedFor.length();
    String candidate = peerIp;
    while (end > 0) {
      int comma = forwardedFor.lastIndexOf(',', end - 1);
      String entry = forwardedFor.substring(comma + 1, end).trim();
      if (!entry.isEmpty()) {
        candidate = entry;
        if (!contains(entry)) {
          return entry;
        }
      }
      end = comma < 0 ? 0 : comma;
    }
    return candidate;
  }

  private static boolean matches(byte[] network, byte[] address, int prefix) {
    int fullBytes = prefix / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (network[i] != address[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (network[fullBytes] & mask) == (address[fullBytes] & mask);
  }
}
