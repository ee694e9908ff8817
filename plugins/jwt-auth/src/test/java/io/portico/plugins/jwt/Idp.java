package io.portico.plugins.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A stand-in identity provider: RSA keys, a real JWKS endpoint on loopback, and token minting. */
final class Idp implements AutoCloseable {
  static final String ISSUER = "https://id.example.com";

  private final Vertx vertx = Vertx.vertx();
  private final List<RSAKey> published = new CopyOnWriteArrayList<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private HttpServer server;
  private int port;

  Idp() {
    published.add(newKey("k1"));
    start(0);
  }

  void start(int onPort) {
    server = vertx.createHttpServer();
    server.requestHandler(request -> {
      fetches.incrementAndGet();
      request.response().putHeader("content-type", "application/json")
          .end(new JWKSet(List.<JWK>copyOf(published)).toPublicJWKSet().toString());
    });
    port = join(server.listen(onPort, "127.0.0.1")).actualPort();
  }

  void stop() {
    join(server.close());
  }

  static RSAKey newKey(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  String jwksUri() {
    return "http://127.0.0.1:" + port + "/jwks.json";
  }

  int fetches() {
    return fetches.get();
  }

  RSAKey key(String kid) {
    return published.stream().filter(k -> k.getKeyID().equals(kid)).findFirst().orElseThrow();
  }

  void publish(RSAKey key) {
    published.add(key);
  }

  /** A valid token for {@code sub}, signed with key {@code k1}, adjustable through {@code claims}. */
  String token(String sub, Consumer<JWTClaimsSet.Builder> claims) {
    return sign(key("k1"), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), sub, claims);
  }

  static String sign(RSAKey key, JWSHeader header, String sub, Consumer<JWTClaimsSet.Builder> claims) {
    try {
      return sign(new RSASSASigner(key), header, sub, claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sign(JWSSigner signer, JWSHeader header, String sub, Consumer<JWTClaimsSet.Builder> claims) {
    long now = System.currentTimeMillis();
    JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
        .issuer(ISSUER).subject(sub).audience("users")
        .issueTime(new Date(now)).expirationTime(new Date(now + TimeUnit.MINUTES.toMillis(10)));
    claims.accept(builder);
    SignedJWT jwt = new SignedJWT(header, builder.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private static <T> T join(io.vertx.core.Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().join();
  }

  @Override
  public void close() {
    join(vertx.close());
  }
}
