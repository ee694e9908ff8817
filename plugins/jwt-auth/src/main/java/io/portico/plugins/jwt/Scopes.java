package io.portico.plugins.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** The scopes a token grants: {@code scope} (space-separated, RFC 8693) and/or {@code scp} (string or list). */
final class Scopes {
  private Scopes() {}

  static Set<String> granted(JWTClaimsSet claims) {
    Set<String> scopes = new HashSet<>();
    add(scopes, claims.getClaim("scope"));
    add(scopes, claims.getClaim("scp"));
    return scopes;
  }

  private static void add(Set<String> scopes, Object claim) {
    if (claim instanceof String text) {
      for (String s : text.split(" ")) {
        if (!s.isEmpty()) {
          scopes.add(s);
        }
      }
    } else if (claim instanceof Collection<?> values) {
      values.forEach(v -> scopes.add(String.valueOf(v)));
    }
  }
}
