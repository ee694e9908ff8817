package io.portico.plugins.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.portico.testkit.TestResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 7515 / RFC 4648 §3.5 spellings and RFC 6750 §2 credential counts, through a real gateway:
 * each refused request is answered without ever reaching the backend.
 */
class JwtEdgeCasesTest {
  Idp idp;
  TestBackend backend;
  TestGateway gateway;

  @BeforeEach
  void start() {
    idp = new Idp();
    backend = TestBackend.start();
    String plugin = "issuer: %s, audiences: [users], jwks-uri: %s".formatted(Idp.ISSUER, idp.jwksUri());
    gateway = TestGateway.start("""
        upstreams: [{ name: b, endpoints: [%s] }]
        routes:
          - { name: bearer, match: { path-prefix: /bearer }, upstream: b, plugins: { jwt-auth: { %s, anonymous-paths: [/bearer/public] } } }
          - { name: cookie, match: { path-prefix: /cookie }, upstream: b, plugins: { jwt-auth: { %s, cookie: session } } }
          - { name: header, match: { path-prefix: /header }, upstream: b, plugins: { jwt-auth: { %s, header: X-Token } } }
        """.formatted(backend.address(), plugin, plugin, plugin));
  }

  @AfterEach
  void stop() {
    gateway.close();
    backend.close();
    idp.close();
  }

  private void assertRefusedAs(TestResponse answer, int status, String error, String what) {
    assertThat(answer.status()).as(what).isEqualTo(status);
    assertThat(answer.json().getString("error")).as(what).isEqualTo(error);
    assertThat(answer.header("WWW-Authenticate")).as(what).contains("error=\"" + error + "\"");
  }

  @Test
  void nonCanonicalBase64urlIsRefusedBeforeAnySignatureWork() {
    String token = idp.token("a", c -> { });
    assertThat(gateway.get("/bearer/x", "Authorization", "Bearer " + token).status()).isEqualTo(200); // the original passes
    int forwarded = backend.requestCount();
    int dot = token.lastIndexOf('.');
    String head = token.substring(0, dot + 1);
    String signature = token.substring(dot + 1); // 256 bytes: 342 characters, the last one with 4 unused bits
    assertThat(signature.length() % 4).isEqualTo(2);
    char last = signature.charAt(signature.length() - 1);
    String shifted = signature.substring(0, signature.length() - 1) + alphabet(value(last) | 1); // same bytes to a lenient decoder

    String[][] shapes = {
        {token + "==", "padded signature"},
        {token.replaceFirst("\\.", "=."), "padding inside the header part"},
        {head + shifted, "non-zero trailing bits"},
        {head + "+" + signature.substring(1), "'+' (standard base64)"},
        {head + "/" + signature.substring(1), "'/' (standard base64)"},
        {head + signature.substring(0, 100) + "%41" + signature.substring(103), "percent-encoding"},
        {head + signature.substring(0, 100) + "*" + signature.substring(101), "'*'"},
        {head + signature.substring(1), "a length no base64 has"},
        {token + ".AAAA.AAAA", "five parts"},
    };
    for (String[] shape : shapes) {
      assertRefusedAs(gateway.get("/bearer/x", "Authorization", "Bearer " + shape[0]), 401, "invalid_token", shape[1]);
    }
    assertThat(backend.requestCount()).isEqualTo(forwarded);
  }

  @Test
  void moreThanOneCredentialIsABadRequestAndNeverForwarded() {
    String token = idp.token("a", c -> { });
    String other = idp.token("b", c -> { });
    String[][] requests = {
        {"/bearer/x", "Authorization", "Bearer " + token, "Authorization", "Bearer " + other},
        {"/bearer/x", "Authorization", "Bearer " + token, "Authorization", "Bearer " + token},
        {"/bearer/x", "Authorization", "Bearer " + token, "Authorization", "Basic dXNlcjpwYXNz"},
        {"/bearer/x?access_token=" + other, "Authorization", "Bearer " + token},
        {"/bearer/x?a=1&access%5Ftoken=" + other, "Authorization", "Bearer " + token},
        {"/bearer/public/x", "Authorization", "Bearer " + token, "Authorization", "Bearer " + other},
        {"/cookie/x", "Cookie", "session=" + token, "Authorization", "Bearer " + other},
        {"/cookie/x", "Cookie", "session=" + token + "; theme=dark; session=" + other},
        {"/cookie/x", "Cookie", "session=" + token, "Cookie", "session=" + other},
        {"/cookie/x?access_token=" + other, "Cookie", "session=" + token},
        {"/header/x", "X-Token", token, "X-Token", other},
        {"/header/x", "X-Token", token, "Authorization", "Bearer " + other},
    };
    for (String[] request : requests) {
      String[] headers = java.util.Arrays.copyOfRange(request, 1, request.length);
      assertRefusedAs(gateway.get(request[0], headers), 400, "invalid_request", String.join(" ", request).substring(0, 60));
    }
    assertThat(backend.requestCount()).isZero();

    // one credential each, with unrelated cookies and parameters around it: admitted
    assertThat(gateway.get("/bearer/x?token=1", "Authorization", "Bearer " + token).status()).isEqualTo(200);
    assertThat(gateway.get("/cookie/x", "Cookie", "theme=dark; session=" + token, "Cookie", "lang=en").status()).isEqualTo(200);
    assertThat(gateway.get("/header/x", "X-Token", token).status()).isEqualTo(200);
    assertThat(backend.requestCount()).isEqualTo(3);
  }

  private static int value(char c) {
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(c);
  }

  private static char alphabet(int value) {
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".charAt(value);
  }
}
