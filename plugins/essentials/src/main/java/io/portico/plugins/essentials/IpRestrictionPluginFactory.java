package io.portico.plugins.essentials;

import io.portico.spi.ConfigErrors;
import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Reply;
import io.portico.spi.Stage;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@code ip-restriction}: lets through only clients whose IP is in {@code allow} (when given) and
 * not in {@code deny}; others get 403 {@code ip_forbidden}. The client IP honours the gateway's
 * trusted proxies.
 */
public final class IpRestrictionPluginFactory implements PluginFactory<IpRestrictionConfig> {
  private static final Reply FORBIDDEN = Reply.error(403, "ip_forbidden", "client address not allowed");

  @Override
  public String name() {
    return "ip-restriction";
  }

  @Override
  public Stage stage() {
    return Stage.INGRESS;
  }

  @Override
  public int priority() {
    return 950;
  }

  @Override
  public Class<IpRestrictionConfig> configType() {
    return IpRestrictionConfig.class;
  }

  @Override
  public void validate(IpRestrictionConfig config, ConfigErrors errors) {
    if (config.allow().isEmpty() && config.deny().isEmpty()) {
      errors.add("", "give an allow or a deny list");
    }
    check(config.allow(), "allow", errors);
    check(config.deny(), "deny", errors);
  }

  private static void check(List<String> cidrs, String field, ConfigErrors errors) {
    for (int i = 0; i < cidrs.size(); i++) {
      try {
        Cidr.parse(cidrs.get(i));
      } catch (IllegalArgumentException e) {
        errors.add(field + "[" + i + "]", e.getMessage());
      }
    }
  }

  @Override
  public Plugin create(IpRestrictionConfig config, PluginContext context) {
    List<Cidr> allow = config.allow().stream().map(Cidr::parse).toList();
    List<Cidr> deny = config.deny().stream().map(Cidr::parse).toList();
    return new Plugin() {
      @Override
      public Future<Decision> onRequest(Exchange exchange) {
        byte[] ip = Cidr.literal(exchange.clientIp());
        boolean permitted = ip != null
            && (allow.isEmpty() || anyContains(allow, ip))
            && !anyContains(deny, ip);
        return permitted ? Decision.next().asFuture() : FORBIDDEN.asFuture();
      }
    };
  }

  private static boolean anyContains(List<Cidr> cidrs, byte[] ip) {
    for (Cidr cidr : cidrs) {
      if (cidr.contains(ip)) {
        return true;
      }
    }
    return false;
  }
}
