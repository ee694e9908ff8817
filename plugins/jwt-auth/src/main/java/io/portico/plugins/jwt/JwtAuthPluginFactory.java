package io.portico.plugins.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import io.micrometer.core.instrument.Counter;
import io.portico.spi.ConfigErrors;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code jwt-auth}: verifies bearer tokens (JWS) from one or more issuers and sets the consumer. */
public final class JwtAuthPluginFactory implements PluginFactory<JwtAuthConfig> {
  static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "RS384", "RS512", "PS256", "ES256", "ES384");
  static final List<String> HMAC_ALGORITHMS = List.of("HS256", "HS384", "HS512");
  private static final Set<String> SUPPORTED = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
      "ES256", "ES384", "ES512", "HS256", "HS384", "HS512");

  @Override
  public String name() {
    return "jwt-auth";
  }

  @Override
  public Stage stage() {
    return Stage.AUTHN;
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Class<JwtAuthConfig> configType() {
    return JwtAuthConfig.class;
  }

  @Override
  public void validate(JwtAuthConfig config, ConfigErrors errors) {
    List<JwtAuthConfig.IssuerConfig> issuers = config.allIssuers();
    if (issuers.isEmpty()) {
      errors.add("issuer", "give an issuer (with jwks-uri, jwks-file, keys or a secret) or issuers: [...]");
    }
    for (int i = 0; i < config.issuers().size(); i++) {
      checkIssuer(config.issuers().get(i), "issuers[" + i + "].", errors);
    }
    if (config.issuer() != null) {
      checkIssuer(config.allIssuers().get(0), "", errors);
    }
    boolean anySecret = issuers.stream().anyMatch(i -> i.secretEnv() != null || i.secretFile() != null);
    List<String> caches = issuers.stream().map(JwtAuthConfig.IssuerConfig::jwksCache).filter(c -> c != null).toList();
    if (new HashSet<>(caches).size() < caches.size()) {
      errors.add("jwks-cache", "each issuer needs a jwks-cache file of its own");
    }
    for (int i = 0; i < config.algorithms().size(); i++) {
      String alg = config.algorithms().get(i);
      if (!SUPPORTED.contains(alg)) {
        errors.add("algorithms[" + i + "]", "unsupported algorithm \"" + alg + "\" (none is never accepted)");
      } else if (alg.startsWith("HS") && !anySecret) {
        errors.add("algorithms[" + i + "]", alg + " needs an issuer with secret-env or secret-file");
      }
    }
    if (config.maxTokenSize() < 256) {
      errors.add("max-token-size", "must be at least 256");
    }
  }

  private static void checkIssuer(JwtAuthConfig.IssuerConfig issuer, String prefix, ConfigErrors errors) {
    if (issuer.issuer() == null || issuer.issuer().isBlank()) {
      errors.add(prefix + "issuer", "is required");
    }
    if (issuer.keySources() != 1) {
      errors.add(prefix.isEmpty() ? "jwks-uri" : prefix + "jwks-uri",
          "give exactly one of jwks-uri, jwks-file, keys, secret-env, secret-file");
    }
    if (issuer.jwksUri() != null && !issuer.jwksUri().startsWith("https://") && !issuer.jwksUri().startsWith("http://")) {
      errors.add(prefix + "jwks-uri", "must be an http(s) URL");
    }
    if (issuer.jwksCache() != null && (issuer.jwksUri() == null || issuer.jwksCache().isBlank())) {
      errors.add(prefix + "jwks-cache", "is a file path, and only for an issuer with jwks-uri");
    }
    for (int k = 0; k < issuer.keys().size(); k++) {
      try {
        StaticKeys.inline(List.of(issuer.keys().get(k)));
      } catch (IllegalArgumentException e) {
        errors.add(prefix + "keys[" + k + "]", e.getMessage());
      }
    }
  }

  @Override
  public Plugin create(JwtAuthConfig config, PluginContext context) {
    Map<String, Issuer> issuers = new HashMap<>();
    List<KeySource> sources = new ArrayList<>();
    boolean anySecret = false;
    for (JwtAuthConfig.IssuerConfig issuer : config.allIssuers()) {
      KeySource source = keySource(issuer, config, context);
      anySecret |= source.secret() != null;
      sources.add(source);
      issuers.put(issuer.issuer(), new Issuer(issuer.issuer(), new HashSet<>(issuer.audiences()), source));
    }
    List<String> names = new ArrayList<>(config.algorithms().isEmpty() ? DEFAULT_ALGORITHMS : config.algorithms());
    if (config.algorithms().isEmpty() && anySecret) {
      names.addAll(HMAC_ALGORITHMS);
    }
    Set<JWSAlgorithm> algorithms = new HashSet<>();
    names.forEach(n -> algorithms.add(JWSAlgorithm.parse(n)));
    String route = context.routeName();
    return new JwtAuthPlugin(config, new TokenVerifier(Map.copyOf(issuers), Set.copyOf(algorithms), config), sources,
        Counter.builder("portico.auth.outcomes").description("authentication outcomes by plugin and result").tag("route", route).tag("plugin", "jwt-auth").tag("result", "accepted")
            .register(context.meterRegistry()),
        Counter.builder("portico.auth.outcomes").description("authentication outcomes by plugin and result").tag("route", route).tag("plugin", "jwt-auth").tag("result", "rejected")
            .register(context.meterRegistry()),
        Counter.builder("portico.auth.outcomes").description("authentication outcomes by plugin and result").tag("route", route).tag("plugin", "jwt-auth").tag("result", "unavailable")
            .register(context.meterRegistry()));
  }

  /** Called off the event loop: reading key files here is allowed. */
  private static KeySource keySource(JwtAuthConfig.IssuerConfig issuer, JwtAuthConfig config, PluginContext context) {
    if (issuer.jwksUri() != null) {
      JwksCacheFile cache = issuer.jwksCache() == null ? null : new JwksCacheFile(context.vertx(), context.resolvePath(issuer.jwksCache()));
      return new RemoteJwks(context.vertx(), issuer.jwksUri(), config, cache, context.meterRegistry(), context.routeName());
    }
    if (issuer.jwksFile() != null) {
      return StaticKeys.file(context.resolvePath(issuer.jwksFile()));
    }
    if (!issuer.keys().isEmpty()) {
      return StaticKeys.inline(issuer.keys());
    }
    return StaticKeys.secret(StaticKeys.secretFrom(issuer.secretEnv(),
        issuer.secretFile() == null ? null : context.resolvePath(issuer.secretFile())));
  }
}
