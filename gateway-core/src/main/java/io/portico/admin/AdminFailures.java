package io.portico.admin;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin router's one failure handler: every failed request gets a JSON error. */
final class AdminFailures {
  private static final Logger LOG = LoggerFactory.getLogger(AdminFailures.class);

  private AdminFailures() {}

  static void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (ctx.response().headWritten()) {
      request.connection().close(); // the answer is broken off; nothing else can be said
      return;
    }
    if (!request.isEnded()) { // the rest of the body is not read: the connection cannot serve another request
      ctx.response().putHeader("connection", "close").endHandler(v -> request.connection().close());
    }
    int status = ctx.statusCode();
    if (status == 413) {
      AdminReplies.error(request, 413, "body_too_large",
          "admin request bodies are limited to " + AdminReplies.MAX_BODY + " bytes");
    } else if (status >= 400 && status < 500) {
      AdminReplies.error(request, status, "bad_request", "the request could not be handled (" + status + ")");
    } else {
      LOG.warn("admin {} {} failed", request.method(), request.path(), ctx.failure());
      AdminReplies.error(request, 500, "internal_error", String.valueOf(ctx.failure()));
    }
  }
}
