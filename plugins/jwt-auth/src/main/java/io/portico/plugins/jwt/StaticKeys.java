package io.portico.plugins.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

/** Keys known at load: inline JWKs or PEM keys, a JWKS file, or an HMAC secret. Read off the event loop. */
final class StaticKeys implements KeySource {
  private final JWKSet keys;
  private final byte[] secret;

  private StaticKeys(JWKSet keys, byte[] secret) {
    this.keys = keys;
    this.secret = secret;
  }

  static StaticKeys inline(List<String> texts) {
    List<JWK> keys = new ArrayList<>();
    for (String text : texts) {
      try {
        if (text.trim().startsWith("-----BEGIN")) {
          keys.add(JWK.parseFromPEMEncodedObjects(text));
        } else {
          keys.add(JWK.parse(text));
        }
      } catch (ParseException | JOSEException e) {
        throw new IllegalArgumentException("not a JWK or PEM key: " + e.getMessage(), e);
      }
    }
    return new StaticKeys(new JWKSet(keys), null);
  }

  static StaticKeys file(Path file) {
    try {
      return new StaticKeys(JWKSet.parse(Files.readString(file)), null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (ParseException e) {
      throw new IllegalArgumentException(file + " is not a JWK set: " + e.getMessage(), e);
    }
  }

  static StaticKeys secret(byte[] secret) {
    if (secret.length < 32) {
      throw new IllegalArgumentException("an HMAC secret must be at least 256 bits (32 bytes)");
    }
    return new StaticKeys(new JWKSet(), secret.clone());
  }

  static byte[] secretFrom(String env, Path file) {
    if (env != null) {
      String value = System.getenv(env);
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException("environment variable " + env + " is not set");
      }
      return value.getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Files.readString(file).strip().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  @Override
  public JWKSet current() {
    return keys;
  }

  @Override
  public byte[] secret() {
    return secret;
  }
}
