package io.portico.plugins.jwt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code jwt-auth:}. The single-issuer form puts {@code issuer}, {@code audiences} and one key
 * source at the top; several issuers go in {@code issuers: [...]}.
 *
 * @param jwksCache the single-issuer form's {@link IssuerConfig#jwksCache()}
 * @param algorithms accepted signature algorithms; default RS256, RS384, RS512, PS256, ES256,
 *     ES384, and HS256/384/512 only for issuers with a secret
 * @param clockSkew tolerance on {@code exp} and {@code nbf}, default 30s
 * @param requiredClaims claims every token must carry
 * @param scopes scopes every token must grant ({@code scope} or {@code scp}); else 403
 * @param header the header carrying the token, default {@code Authorization} with a Bearer scheme
 * @param cookie a cookie carrying the token, instead of a header
 * @param claimsToHeaders claims forwarded upstream as request headers ({@code sub: X-User-Id});
 *     incoming headers of those names are always removed first
 * @param stripCredential remove the token before proxying
 * @param anonymousPaths path prefixes that pass without a token (a token, if sent, is still checked)
 * @param consumerClaim the claim naming the consumer, default {@code sub}
 * @param maxTokenSize tokens longer than this are refused unparsed, default 8192
 * @param requireExp refuse tokens without {@code exp}, default true
 * @param jwksRefresh how often key sets are fetched when the IdP sends no max-age, default 5m
 * @param jwksMaxAge how long the last good key set keeps serving while the IdP fails, default 24h
 * @param unknownKidCooldown at most one refetch per this period for unknown key ids, default 10s
 * @param cacheSize verified tokens remembered, default 10,000
 */
public record JwtAuthConfig(
    String issuer,
    List<String> audiences,
    String jwksUri,
    String jwksFile,
    List<String> keys,
    String secretEnv,
    String secretFile,
    String jwksCache,
    List<IssuerConfig> issuers,
    List<String> algorithms,
    Duration clockSkew,
    List<String> requiredClaims,
    List<String> scopes,
    String header,
    String cookie,
    Map<String, String> claimsToHeaders,
    Boolean stripCredential,
    List<String> anonymousPaths,
    String consumerClaim,
    Integer maxTokenSize,
    Boolean requireExp,
    Duration jwksRefresh,
    Duration jwksMaxAge,
    Duration unknownKidCooldown,
    Integer cacheSize) {

  public JwtAuthConfig {
    audiences = audiences != null ? List.copyOf(audiences) : List.of();
    keys = keys != null ? List.copyOf(keys) : List.of();
    issuers = issuers != null ? List.copyOf(issuers) : List.of();
    algorithms = algorithms != null ? List.copyOf(algorithms) : List.of();
    clockSkew = clockSkew != null ? clockSkew : Duration.ofSeconds(30);
    requiredClaims = requiredClaims != null ? List.copyOf(requiredClaims) : List.of();
    scopes = scopes != null ? List.copyOf(scopes) : List.of();
    header = header != null ? header : "Authorization";
    claimsToHeaders = claimsToHeaders != null ? Map.copyOf(claimsToHeaders) : Map.of();
    stripCredential = stripCredential != null ? stripCredential : Boolean.FALSE;
    anonymousPaths = anonymousPaths != null ? List.copyOf(anonymousPaths) : List.of();
    consumerClaim = consumerClaim != null ? consumerClaim : "sub";
    maxTokenSize = maxTokenSize != null ? maxTokenSize : 8192;
    requireExp = requireExp != null ? requireExp : Boolean.TRUE;
    jwksRefresh = jwksRefresh != null ? jwksRefresh : Duration.ofMinutes(5);
    jwksMaxAge = jwksMaxAge != null ? jwksMaxAge : Duration.ofHours(24);
    unknownKidCooldown = unknownKidCooldown != null ? unknownKidCooldown : Duration.ofSeconds(10);
    cacheSize = cacheSize != null ? cacheSize : 10_000;
  }

  /** Every issuer: the top-level one (when {@code issuer} is set) followed by {@code issuers}. */
  List<IssuerConfig> allIssuers() {
    List<IssuerConfig> all = new ArrayList<>();
    if (issuer != null) {
      all.add(new IssuerConfig(issuer, audiences, jwksUri, jwksFile, keys, secretEnv, secretFile, jwksCache));
    }
    all.addAll(issuers);
    return all;
  }

  /**
   * One trusted token issuer and where its keys come from (exactly one source).
   *
   * @param audiences accepted {@code aud} values; empty accepts any
   * @param keys inline keys: JWK JSON objects or PEM public keys
   * @param secretEnv environment variable holding an HMAC secret
   * @param secretFile file holding an HMAC secret, relative to the config file
   * @param jwksCache with {@code jwks-uri}: a file where the last good key set is kept, relative
   *     to the config file, so a restarted gateway verifies tokens while the IdP is down
   */
  public record IssuerConfig(String issuer, List<String> audiences, String jwksUri, String jwksFile,
      List<String> keys, String secretEnv, String secretFile, String jwksCache) {
    public IssuerConfig {
      audiences = audiences != null ? List.copyOf(audiences) : List.of();
      keys = keys != null ? List.copyOf(keys) : List.of();
    }

    int keySources() {
      return (jwksUri != null ? 1 : 0) + (jwksFile != null ? 1 : 0) + (keys.isEmpty() ? 0 : 1)
          + (secretEnv != null ? 1 : 0) + (secretFile != null ? 1 : 0);
    }
  }
}
