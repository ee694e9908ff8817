package io.portico.admin;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The admin bearer token: from config, where {@code ${NAME}} reads an environment variable. */
final class AdminToken {

  private AdminToken() {}

  static String resolve(String configured) {
    if (configured == null || configured.isBlank()) {
      return null;
    }
    if (configured.startsWith("${") && configured.endsWith("}")) {
      String value = System.getenv(configured.substring(2, configured.length() - 1));
      if (value == null || value.isBlank()) {
        throw new IllegalStateException("admin.token names environment variable " + configured + ", which is not set");
      }
      return value;
    }
    return configured;
  }

  /** Lets a request through with the token (or when there is none); answers 401 otherwise. */
  static Handler<RoutingContext> check(String token) {
    return ctx -> {
      if (accepts(token, ctx.request())) {
        ctx.next();
      } else {
        AdminApi.json(ctx.request(), 401, new JsonObject().put("error", "admin_token_required"));
      }
    };
  }

  /** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
  static boolean accepts(String token, HttpServerRequest request) {
    if (token == null) {
      return true;
    }
    String header = request.getHeader("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    return MessageDigest.isEqual(
        token.getBytes(StandardCharsets.UTF_8), header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
  }
}
