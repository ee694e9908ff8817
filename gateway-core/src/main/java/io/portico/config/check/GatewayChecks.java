package io.portico.config.check;

import io.portico.config.GatewayConfig;
import io.portico.config.LimitsConfig;
import io.portico.config.NetSyntax;
import io.portico.config.NodePaths;
import io.portico.config.TlsConfig;
import io.portico.config.bind.ConfigProblems;
import java.time.Duration;

/** Checks the gateway-wide settings: listener, admin server, limits, trusted proxies. */
public final class GatewayChecks {

  private final ConfigProblems problems;

  public GatewayChecks(ConfigProblems problems) {
    this.problems = problems;
  }

  public void check(GatewayConfig config) {
    port("listen.port", config.listen().port());
    atLeast("listen.instances", config.listen().instances(), 1);
    TlsConfig tls = config.listen().tls();
    if (tls != null) {
      new TlsChecks(problems).listen(tls);
    }
    port("admin.port", config.admin().port());
    LimitsConfig limits = config.limits();
    atLeast("limits.max-request-line", limits.maxRequestLine(), 1);
    atLeast("limits.max-header-size", limits.maxHeaderSize(), 1);
    atLeast("limits.max-headers", limits.maxHeaders(), 1);
    positive(problems, "limits.header-timeout", limits.headerTimeout());
    positive(problems, "limits.idle-timeout", limits.idleTimeout());
    atLeast("limits.max-websockets", limits.maxWebsockets(), 0);
    if (limits.maxBodySize() != null && limits.maxBodySize() < 0) {
      problems.add("limits.max-body-size", "must not be negative");
    }
    positive(problems, "drain-timeout", config.drainTimeout());
    for (int i = 0; i < config.trustedProxies().size(); i++) {
      String cidr = config.trustedProxies().get(i);
      if (!NetSyntax.isCidr(cidr)) {
        problems.add(NodePaths.index("trusted-proxies", i), "not an IP address or CIDR range: \"" + cidr + "\"");
      }
    }
  }

  private void port(String path, int port) {
    if (port < 0 || port > 65535) {
      problems.add(path, "port must be between 0 and 65535, got " + port);
    }
  }

  private void atLeast(String path, int value, int min) {
    if (value < min) {
      problems.add(path, "must be at least " + min + ", got " + value);
    }
  }

  /** Reports a zero duration; a missing one ({@code null}) is fine. */
  static void positive(ConfigProblems problems, String path, Duration duration) {
    if (duration != null && (duration.isZero() || duration.isNegative())) {
      problems.add(path, "must be longer than zero");
    }
  }
}
