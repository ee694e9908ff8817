package io.portico.plugins.essentials;

import java.util.List;

/** CIDR lists such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; bare addresses allowed. */
public record IpRestrictionConfig(List<String> allow, List<String> deny) {
  public IpRestrictionConfig {
    allow = allow != null ? List.copyOf(allow) : List.of();
    deny = deny != null ? List.copyOf(deny) : List.of();
  }
}
