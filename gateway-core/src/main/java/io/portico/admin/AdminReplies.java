package io.portico.admin;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/** What the admin write endpoints share: names, bodies, and answering on the request's context. */
final class AdminReplies {
  /** Route, upstream, service and instance names accepted in admin paths. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  /** The largest admin request body, chunked or not. */
  static final long MAX_BODY = 1 << 20;

  private AdminReplies() {}

  /**
   * Runs {@code handler} with the outcome of {@code future} back on the calling context (store
   * futures complete on the store's threads).
   */
  static <T> void onContext(Future<T> future, Handler<AsyncResult<T>> handler) {
    Context context = Vertx.currentContext();
    future.onComplete(ar -> {
      if (context == null || Vertx.currentContext() == context) {
        handler.handle(ar);
      } else {
        context.runOnContext(v -> handler.handle(ar));
      }
    });
  }

  /**
   * The request body (read by the router's body handler, within {@link #MAX_BODY}) as a JSON
   * object; answers 400 itself and fails when it is not one.
   */
  static Future<JsonObject> jsonBody(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Buffer body = ctx.body().buffer();
    try {
      Object value = io.vertx.core.json.Json.decodeValue(body != null ? body : Buffer.buffer());
      if (value instanceof JsonObject object) {
        return Future.succeededFuture(object);
      }
      error(request, 400, "invalid_json", "the body must be a JSON object");
    } catch (DecodeException e) {
      String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      error(request, 400, "invalid_json", "the body is not valid JSON: " + message);
    }
    return Future.failedFuture("answered");
  }

  static void error(HttpServerRequest request, int status, String code, String message) {
    AdminApi.json(request, status, new JsonObject().put("error", code).put("message", message));
  }

  static void methodNotAllowed(HttpServerRequest request, String allowed) {
    request.response().putHeader("allow", allowed);
    error(request, 405, "method_not_allowed", "use " + allowed);
  }
}
