package io.portico.exchange;

import io.portico.chain.PluginFailure;
import io.portico.spi.BodyTooLargeException;
import io.portico.spi.Reply;
import io.portico.spi.UpstreamFailure;
import io.portico.upstream.ConcurrencyLimited;
import io.portico.upstream.UpstreamOverloaded;
import io.portico.upstream.UnsafeHeaderException;
import io.vertx.core.buffer.Buffer;

/**
 * Every answer the gateway gives on its own behalf, in one place: status, stable {@code error}
 * code and message. The same code shows in the JSON body, the access log and the metrics. Error
 * replies are immutable constants, rendered per request only to add the request id.
 */
public final class ErrorCatalog {
  public static final Reply NO_ROUTE = Reply.error(404, "no_route", "no route matches the request");
  public static final Reply BAD_PATH = Reply.error(400, "bad_path", "the request path is malformed");
  public static final Reply BAD_HOST = Reply.error(400, "bad_host", "the request's Host or authority is missing, repeated or malformed");
  public static final Reply BAD_REQUEST = Reply.error(400, "bad_request", "the request is malformed");
  public static final Reply BAD_FRAMING = Reply.error(400, "bad_framing", "the request's message framing is ambiguous");
  public static final Reply URI_TOO_LONG = Reply.error(414, "uri_too_long", "the request line is too long");
  public static final Reply HEADERS_TOO_LARGE = Reply.error(431, "headers_too_large", "the request headers are too large");
  public static final Reply TOO_MANY_HEADERS = Reply.error(431, "too_many_headers", "the request has too many headers");
  public static final Reply BODY_TOO_LARGE = Reply.error(413, "body_too_large", "the request body is too large");
  public static final Reply PLUGIN_ERROR = Reply.error(500, "plugin_error", "a plugin failed to process the request");
  public static final Reply WEBSOCKET_LIMIT =
      Reply.error(503, "websocket_limit", "the listener holds its maximum of open WebSocket connections");
  public static final Reply WEBSOCKET_DISABLED = Reply.error(403, "websocket_disabled", "the route does not accept WebSocket");
  public static final Reply BAD_UPGRADE = Reply.error(502, "bad_upgrade", "the upstream's 101 does not answer the upgrade request");
  public static final Reply UNSAFE_REQUEST_HEADER = Reply.error(500, "unsafe_request_header",
      "a header for the upstream holds CR, LF or NUL or a bad name; the request was not sent");
  public static final Reply UNSAFE_UPSTREAM_HEADER = Reply.error(502, "unsafe_upstream_header",
      "the upstream answered with a header holding CR, LF or NUL or a bad name");
  public static final Reply CONCURRENCY_LIMITED = Reply.error(503, "concurrency_limited",
      "the upstream has as many requests in flight as it can take now").withHeader("Retry-After", "1");
  public static final Reply UPSTREAM_OVERLOADED = Reply.error(503, "upstream_overloaded",
      "every HTTP/2 connection to the upstream carries as many streams as it may").withHeader("Retry-After", "1");
  public static final Reply OVERLOADED = Reply.error(503, "overloaded", "the gateway is overloaded; try again later")
      .withHeader("Retry-After", "1");
  public static final Reply INTERNAL_ERROR = Reply.error(500, "internal_error", "the gateway failed to process the request");
  private static final Reply[] UPSTREAM = upstreamReplies();

  private ErrorCatalog() {}

  /** The answer for an upstream call that produced no answer. */
  public static Reply upstream(UpstreamFailure.Kind kind) {
    return UPSTREAM[kind.ordinal()];
  }

  /** The answer for a failed plugin phase or upstream call. */
  public static Reply forFailure(Throwable cause) {
    if (cause instanceof UpstreamFailure failure) {
      return upstream(failure.kind());
    }
    if (cause instanceof ConcurrencyLimited) {
      return CONCURRENCY_LIMITED;
    }
    if (cause instanceof UpstreamOverloaded) {
      return UPSTREAM_OVERLOADED;
    }
    if (cause instanceof UnsafeHeaderException unsafe) {
      return unsafe.inAnswer() ? UNSAFE_UPSTREAM_HEADER : UNSAFE_REQUEST_HEADER;
    }
    if (cause instanceof BodyTooLargeException) {
      return BODY_TOO_LARGE;
    }
    if (cause instanceof PluginFailure failure) {
      return failure.reply(); // names the plugin
    }
    return PLUGIN_ERROR;
  }

  /** {@code {"error":…,"message":…,"request_id":…}} for an error reply. */
  public static Buffer render(Reply reply, String requestId) {
    StringBuilder json = new StringBuilder(96);
    json.append("{\"error\":");
    Json.quote(json, reply.error());
    json.append(",\"message\":");
    if (reply.message() == null) {
      json.append("null");
    } else {
      Json.quote(json, reply.message());
    }
    json.append(",\"request_id\":");
    Json.quote(json, requestId);
    return Buffer.buffer(json.append('}').toString());
  }

  private static Reply[] upstreamReplies() {
    UpstreamFailure.Kind[] kinds = UpstreamFailure.Kind.values();
    Reply[] replies = new Reply[kinds.length];
    for (UpstreamFailure.Kind kind : kinds) {
      replies[kind.ordinal()] = Reply.error(kind.status(), kind.error(), upstreamMessage(kind));
    }
    return replies;
  }

  private static String upstreamMessage(UpstreamFailure.Kind kind) {
    switch (kind) {
      case CONNECT_FAILURE:
        return "could not connect to the upstream";
      case RESET:
        return "the upstream closed the connection before answering";
      case TIMEOUT:
        return "the upstream did not answer in time";
      case NO_ENDPOINT:
        return "no healthy endpoint for the upstream";
      case TLS_ERROR:
        return "the TLS handshake with the upstream failed";
      default:
        return kind.error();
    }
  }
}
