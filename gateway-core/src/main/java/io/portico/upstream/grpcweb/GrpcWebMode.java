package io.portico.upstream.grpcweb;

import java.util.Locale;

/**
 * The gRPC-Web variant of a request, read from its {@code content-type}: binary
 * ({@code application/grpc-web}) or base64 text ({@code application/grpc-web-text}), each with an
 * optional message format suffix such as {@code +proto} that the gRPC content type keeps.
 *
 * @param text whether bodies are base64 text ({@code -text}) both ways
 * @param suffix the message format suffix ({@code "+proto"}), or {@code ""}
 */
public record GrpcWebMode(boolean text, String suffix) {
  private static final String GRPC = "application/grpc";
  private static final String WEB = "application/grpc-web";
  private static final String WEB_TEXT = "application/grpc-web-text";

  /** The mode of a request with this {@code content-type}, or {@code null} when it is not gRPC-Web. */
  public static GrpcWebMode of(String contentType) {
    if (contentType == null || contentType.length() < WEB.length()
        || !contentType.regionMatches(true, 0, WEB, 0, WEB.length())) {
      return null;
    }
    String type = mediaType(contentType);
    if (type.startsWith(WEB_TEXT)) {
      String suffix = type.substring(WEB_TEXT.length());
      return validSuffix(suffix) ? new GrpcWebMode(true, suffix) : null;
    }
    String suffix = type.substring(WEB.length());
    return validSuffix(suffix) ? new GrpcWebMode(false, suffix) : null;
  }

  /** The content type the upstream gets: {@code application/grpc} with the same suffix. */
  public String upstreamContentType() {
    return GRPC + suffix;
  }

  /**
   * The content type the client gets for an upstream answer of {@code upstreamType}, or
   * {@code null} when that answer is not gRPC (and then goes back as it is).
   */
  public String clientContentType(String upstreamType) {
    if (upstreamType == null) {
      return null;
    }
    String type = mediaType(upstreamType);
    if (!type.startsWith(GRPC) || type.startsWith(WEB)) {
      return null;
    }
    String answerSuffix = type.substring(GRPC.length());
    if (!validSuffix(answerSuffix)) {
      return null;
    }
    return (text ? WEB_TEXT : WEB) + answerSuffix;
  }

  /** Whether the upstream's answer head is a gRPC one (to translate). */
  public static boolean isGrpc(String contentType) {
    return contentType != null && contentType.regionMatches(true, 0, GRPC, 0, GRPC.length())
        && !contentType.regionMatches(true, 0, WEB, 0, WEB.length());
  }

  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  private static boolean validSuffix(String suffix) {
    if (suffix.isEmpty()) {
      return true;
    }
    if (suffix.length() < 2 || suffix.charAt(0) != '+') {
      return false;
    }
    for (int i = 1; i < suffix.length(); i++) {
      char c = suffix.charAt(i);
      if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' && c != '.') {
        return false;
      }
    }
    return true;
  }
}
