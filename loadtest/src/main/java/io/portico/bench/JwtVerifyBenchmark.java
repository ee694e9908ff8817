package io.portico.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What jwt-auth pays per request: parsing and verifying an RS256 token (a first sight), against
 * the verified-token cache lookup (every later request with the same token). Run:
 * {@code java -jar loadtest/target/benchmarks.jar JwtVerify}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class JwtVerifyBenchmark {
  private String token;
  private RSASSAVerifier verifier;
  private Cache<String, Object> verified;

  @Setup
  public void setUp() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
        new JWTClaimsSet.Builder().issuer("https://id.example.com").subject("alice").audience("users")
            .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build());
    jwt.sign(new RSASSASigner(key));
    token = jwt.serialize();
    verifier = new RSASSAVerifier(key.toPublicJWK());
    verified = Caffeine.newBuilder().maximumSize(10_000).build();
    verified.put(token, Boolean.TRUE);
  }

  @Benchmark
  public boolean rs256Verify() throws Exception {
    SignedJWT jwt = SignedJWT.parse(token);
    jwt.getJWTClaimsSet();
    return jwt.verify(verifier);
  }

  @Benchmark
  public Object cacheHit() {
    // a fresh String, as each request's header value is: its hash is computed, as in the gateway
    return verified.getIfPresent(new String(token.toCharArray()));
  }
}
