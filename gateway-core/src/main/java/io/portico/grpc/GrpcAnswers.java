package io.portico.grpc;

import io.portico.spi.Reply;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's own answers to a gRPC call, in gRPC's terms: a {@link Reply} (a plugin's or the
 * gateway's) becomes a trailers-only response, HTTP 200 with {@code content-type:
 * application/grpc}, {@code grpc-status} and {@code grpc-message} in the head and no body. The
 * reply's other headers ({@code Retry-After}, the rate-limit headers, {@code WWW-Authenticate})
 * stay as metadata. Plugins keep answering with HTTP statuses; this is the one place they are
 * translated.
 */
public final class GrpcAnswers {
  /** A gRPC call whose {@code grpc-timeout} is not a valid timeout (grpc-java servers fail it as INTERNAL). */
  public static final Reply BAD_TIMEOUT = Reply.error(400, "bad_grpc_timeout", "the grpc-timeout header is malformed");
  /** The deadline of a gRPC call passed before its answer was complete. */
  public static final Reply DEADLINE_EXCEEDED = Reply.error(504, "deadline_exceeded", "the call's deadline passed in the gateway");

  private GrpcAnswers() {}

  /**
   * Whether {@code reply} is translated: an error reply, or any reply that is not a success (a
   * plugin answering a gRPC call with a 2xx body of its own speaks gRPC itself).
   */
  public static boolean translates(Reply reply) {
    return reply.error() != null || reply.status() >= 300;
  }

  /** The gRPC status a translated {@code reply} carries. */
  public static GrpcStatus statusOf(Reply reply) {
    return GrpcStatus.forAnswer(reply.status());
  }

  /**
   * Adds the head of the trailers-only answer for {@code reply} to {@code headers}; the HTTP
   * status to send is 200.
   */
  public static GrpcStatus writeHead(Reply reply, MultiMap headers) {
    List<Map.Entry<String, String>> replyHeaders = reply.headers();
    for (int i = 0; i < replyHeaders.size(); i++) {
      String name = replyHeaders.get(i).getKey();
      if (!isFraming(name)) {
        headers.add(name, replyHeaders.get(i).getValue());
      }
    }
    GrpcStatus status = statusOf(reply);
    headers.set("content-type", GrpcProtocol.CONTENT_TYPE);
    headers.set(GrpcProtocol.GRPC_STATUS, status.header());
    String message = reply.message() != null ? reply.message() : reply.error();
    if (message != null) {
      headers.set(GrpcProtocol.GRPC_MESSAGE, GrpcProtocol.encodeMessage(message));
    }
    return status;
  }

  /** Headers of the reply that describe an HTTP body or its type, which a trailers-only answer has not. */
  private static boolean isFraming(String name) {
    return name.equalsIgnoreCase("content-type") || name.equalsIgnoreCase("content-length")
        || name.equalsIgnoreCase("transfer-encoding") || name.equalsIgnoreCase(GrpcProtocol.GRPC_STATUS)
        || name.equalsIgnoreCase(GrpcProtocol.GRPC_MESSAGE);
  }
}
